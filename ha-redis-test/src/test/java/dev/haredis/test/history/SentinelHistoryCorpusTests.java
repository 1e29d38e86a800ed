package dev.haredis.test.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import dev.haredis.test.history.HistoryRecord.Event;
import dev.haredis.test.history.HistoryRecord.Fault;
import dev.haredis.test.history.HistoryRecord.Header;
import dev.haredis.test.history.HistoryRecord.RoleAnswer;
import dev.haredis.test.history.HistoryRecord.SentinelAnswer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks every file of the replay corpus ({@code sentinel-histories/<version>/<scenario>.jsonl}, recorded by
 * {@link SentinelHistoryCorpusRecording}), so that a broken or missing re-recording is caught.
 */
class SentinelHistoryCorpusTests {

	static final List<String> SCENARIOS = List.of("kill", "manual-failover", "frozen-master", "failover-aborted",
			"promotion-refused", "tilt", "sentinels-restarted", "stale-sentinel", "stale-sentinel-restarted",
			"learned-sentinel", "nat-announced");

	/** The scenarios that end with a new master. */
	static final List<String> FAILOVERS = List.of("kill", "manual-failover", "frozen-master", "stale-sentinel",
			"stale-sentinel-restarted", "nat-announced");

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void everyScenarioIsRecordedForEachVersion(String version) {
		for (String scenario : SCENARIOS) {
			assertThat(corpus().resolve(version).resolve(scenario + ".jsonl")).as("%s on Redis %s", scenario, version)
				.isRegularFile();
		}
	}

	@ParameterizedTest
	@MethodSource("files")
	void headerComesFirstAndNamesTheScenarioAndVersion(Path file) {
		SentinelHistory history = SentinelHistory.read(file);
		Header header = history.header();
		assertThat(header.t()).isZero();
		assertThat(header.scenario() + ".jsonl").isEqualTo(file.getFileName().toString());
		assertThat(header.redis()).startsWith(file.getParent().getFileName() + ".");
		assertThat(header.masterName()).isNotBlank();
		assertThat(header.sentinels()).hasSizeGreaterThanOrEqualTo(3);
		assertThat(header.dataNodes()).hasSizeGreaterThanOrEqualTo(2);
		assertThat(header.downAfterMillis()).isPositive();
		assertThat(header.failoverTimeoutMillis()).isPositive();
	}

	@ParameterizedTest
	@MethodSource("files")
	void timeNeverGoesBackwardsInTheFile(Path file) throws IOException {
		long previous = 0;
		int number = 0;
		for (String line : Files.readAllLines(file)) {
			number++;
			long t = HistoryLines.parse(line).t();
			assertThat(t).as("t of line %d of %s", number, file).isGreaterThanOrEqualTo(previous);
			previous = t;
		}
	}

	@ParameterizedTest
	@MethodSource("files")
	void everySentinelWasSubscribedAndAnswered(Path file) {
		SentinelHistory history = SentinelHistory.read(file);
		for (String sentinel : history.header().sentinels()) {
			assertThat(history.links()).as("links of %s", sentinel)
				.anySatisfy((link) -> assertThat(link.sentinel()).isEqualTo(sentinel));
			assertThat(history.sentinelAnswerAt(sentinel, SentinelCommand.MASTER, history.duration()))
				.as("SENTINEL MASTER of %s", sentinel)
				.isPresent();
		}
		for (String node : history.header().dataNodes()) {
			assertThat(history.roleAt(node, history.duration())).as("ROLE of %s", node).isPresent();
		}
	}

	@ParameterizedTest
	@MethodSource("files")
	void eachScenarioHasItsFaultMarker(Path file) {
		assertThat(SentinelHistory.read(file).faults()).extracting(Fault::t).isNotEmpty().allMatch((t) -> t > 0);
	}

	@ParameterizedTest
	@MethodSource("files")
	void failoverScenariosSwitchMasterAfterTheirFirstFault(Path file) {
		SentinelHistory history = SentinelHistory.read(file);
		boolean switched = history.events()
			.stream()
			.anyMatch((event) -> event.channel().equals("+switch-master") && event.t() > firstFault(history));
		assertThat(switched).as("+switch-master after the first fault of %s", file)
			.isEqualTo(FAILOVERS.contains(history.header().scenario()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void abortedFailoverAndTiltShowTheirEvents(String version) {
		assertThat(channels(version, "failover-aborted")).contains("+odown", "+try-failover",
				"-failover-abort-no-good-slave");
		assertThat(channels(version, "tilt")).contains("+tilt", "-tilt");
		assertThat(channels(version, "learned-sentinel")).contains("+sentinel");
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void refusedPromotionIsSelectedThenAbortedWhileTheReplicaNeverAnswersMaster(String version) {
		SentinelHistory history = read(version, "promotion-refused");
		Event selected = history.events()
			.stream()
			.filter((event) -> event.channel().equals("+selected-slave"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no +selected-slave in " + history));
		Event aborted = history.events()
			.stream()
			.filter((event) -> event.channel().equals("-failover-abort-slave-timeout"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no -failover-abort-slave-timeout in " + history));
		assertThat(selected.t()).isGreaterThan(firstFault(history)).isLessThan(aborted.t());
		assertThat(channels(version, "promotion-refused")).contains("+odown", "+failover-state-send-slaveof-noone")
			.doesNotContain("+promoted-slave", "+switch-master");
		// "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379"
		String replica = selected.message().split(" ")[1];
		assertThat(history.records()).filteredOn(RoleAnswer.class::isInstance)
			.map(RoleAnswer.class::cast)
			.filteredOn((answer) -> answer.node().equals(replica))
			.isNotEmpty()
			.noneMatch((answer) -> answer.role().equals(Optional.of("master")));
	}

	@ParameterizedTest
	@MethodSource("files")
	void everyAnswerSaysHowLongItTook(Path file) {
		assertThat(SentinelHistory.read(file).records()).filteredOn(
				(record) -> record instanceof SentinelAnswer || record instanceof RoleAnswer)
			.isNotEmpty()
			.allSatisfy((record) -> assertThat((record instanceof SentinelAnswer answer) ? answer.took()
					: ((RoleAnswer) record).took()).as("took of %s", record).isBetween(0L, 5_000L));
	}

	private static SentinelHistory read(String version, String scenario) {
		return SentinelHistory.read(corpus().resolve(version).resolve(scenario + ".jsonl"));
	}

	private static List<String> channels(String version, String scenario) {
		return read(version, scenario).events()
			.stream()
			.map(Event::channel)
			.toList();
	}

	private static long firstFault(SentinelHistory history) {
		return history.faults().get(0).t();
	}

	static Stream<Path> files() throws IOException {
		try (Stream<Path> files = Files.walk(corpus())) {
			return files.filter((file) -> file.toString().endsWith(".jsonl")).sorted().toList().stream();
		}
	}

	static Path corpus() {
		URL url = Objects.requireNonNull(SentinelHistoryCorpusTests.class.getClassLoader().getResource("sentinel-histories"),
				"sentinel-histories on the test class path");
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			throw new UncheckedIOException(new IOException(ex));
		}
	}

}
