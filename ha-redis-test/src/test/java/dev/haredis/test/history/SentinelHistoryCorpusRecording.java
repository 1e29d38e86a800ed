package dev.haredis.test.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyBuilder;
import dev.haredis.test.RedisProcess;
import dev.haredis.test.RedisServerBinary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records the replay corpus: each scenario against a fresh {@link LocalSentinelTopology} (1 master, 1 replica unless
 * said otherwise, 3 sentinels, quorum 2, down-after 2 s) into
 * {@code src/main/resources/sentinel-histories/<major.minor>/<scenario>.jsonl}, the version being that of the
 * {@code redis-server} in use. Its name matches neither the Surefire nor the Failsafe patterns, so a normal build
 * never runs it; run it on demand (see docs/testing.md):
 *
 * <pre>
 * ./mvnw -B -ntp -o -pl ha-redis-test verify -Dit.test=SentinelHistoryCorpusRecording -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false
 * HA_REDIS_SERVER_BINARY=/usr/bin/redis-server ./mvnw ... (same)        # Redis 7.0
 * ./mvnw ... -Dit.test='SentinelHistoryCorpusRecording#tilt'            # one scenario
 * </pre>
 */
class SentinelHistoryCorpusRecording {

	private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration BASELINE = Duration.ofSeconds(2);

	@Test
	@Timeout(120)
	void kill() {
		record("kill", topology(), "kill -9 the master; after the failover the old master is restarted and demoted",
				Map.of(), (topology, recorder) -> {
					RedisProcess master = topology.master();
					long killed = recorder.elapsedMillis();
					recorder.fault("kill -9 master " + master.address());
					master.kill();
					recorder.awaitEvent("+switch-master", killed, EVENT_TIMEOUT);
					recorder.recordFor(Duration.ofSeconds(4));
					long restarted = recorder.elapsedMillis();
					recorder.fault("restore: restart old master " + master.address());
					master.start();
					recorder.awaitEvent("+convert-to-slave", restarted, EVENT_TIMEOUT);
					recorder.recordFor(Duration.ofSeconds(3));
				});
	}

	@Test
	@Timeout(120)
	void manualFailover() {
		record("manual-failover", topology(), "SENTINEL FAILOVER asked of sentinel-1; the old master stays up",
				Map.of(), (topology, recorder) -> {
					long asked = recorder.elapsedMillis();
					recorder.fault("SENTINEL FAILOVER mymaster on " + topology.sentinels().get(0).address()
							+ " (master " + topology.master().address() + ")");
					topology.failover();
					recorder.awaitEvent("+switch-master", asked, EVENT_TIMEOUT);
					awaitOptionalEvent(recorder, "+convert-to-slave", asked, Duration.ofSeconds(15));
					recorder.recordFor(Duration.ofSeconds(3));
				});
	}

	@Test
	@Timeout(120)
	void frozenMaster() {
		record("frozen-master", topology(),
				"SIGSTOP the master for 20 s, then SIGCONT: it comes back as a master and is demoted",
				Map.of(), (topology, recorder) -> {
					RedisProcess master = topology.master();
					long frozen = recorder.elapsedMillis();
					recorder.fault("SIGSTOP master " + master.address());
					master.freeze();
					recorder.awaitEvent("+switch-master", frozen, EVENT_TIMEOUT);
					recorder.recordFor(Duration.ofMillis(Math.max(0, frozen + 20_000 - recorder.elapsedMillis())));
					long resumed = recorder.elapsedMillis();
					recorder.fault("resume: SIGCONT old master " + master.address());
					master.unfreeze();
					awaitOptionalEvent(recorder, "+convert-to-slave", resumed, Duration.ofSeconds(20));
					recorder.recordFor(Duration.ofSeconds(3));
				});
	}

	@Test
	@Timeout(150)
	void failoverAborted() {
		LocalSentinelTopologyBuilder builder = topology().failoverTimeout(Duration.ofSeconds(5));
		record("failover-aborted", builder,
				"the only replica has replica-priority 0 (CONFIG SET before the recording); kill -9 the master: no "
						+ "replica can be promoted, the failover is aborted and retried after 2 x failover-timeout; "
						+ "then the master is restarted",
				Map.of(), (topology, recorder) -> {
					RedisProcess master = topology.master();
					long killed = recorder.elapsedMillis();
					recorder.fault("kill -9 master " + master.address());
					master.kill();
					recorder.awaitEvent("-failover-abort-no-good-slave", killed, EVENT_TIMEOUT);
					recorder.recordFor(Duration.ofSeconds(11));
					long restarted = recorder.elapsedMillis();
					recorder.fault("restore: restart master " + master.address());
					master.start();
					awaitOptionalEvent(recorder, "-odown", restarted, Duration.ofSeconds(15));
					recorder.recordFor(Duration.ofSeconds(3));
				}, (topology) -> {
					RedisProcess replica = topology.replicas().get(0);
					replica.command("CONFIG", "SET", "replica-priority", "0");
					// The sentinels read the priority from the replica's INFO, refreshed every 10 s.
					await().atMost(Duration.ofSeconds(30))
						.pollInterval(Duration.ofMillis(200))
						.until(() -> topology.sentinels()
							.stream()
							.allMatch((sentinel) -> String
								.valueOf(sentinel.command("SENTINEL", "REPLICAS", topology.masterName()))
								.contains("slave-priority, 0")));
				});
	}

	@Test
	@Timeout(120)
	void promotionRefused() {
		LocalSentinelTopologyBuilder builder = topology().failoverTimeout(Duration.ofSeconds(5))
			.serverConfig("replica-1", "rename-command SLAVEOF \"\"", "rename-command REPLICAOF \"\"");
		record("promotion-refused", builder,
				"the only replica has SLAVEOF and REPLICAOF renamed away (rename-command ... \"\"); kill -9 the "
						+ "master: the leader announces +selected-slave and +failover-state-send-slaveof-noone, but its "
						+ "MULTI / SLAVEOF NO ONE / EXEC is refused, the replica stays a replica and the failover is "
						+ "aborted after failover-timeout (5 s, -failover-abort-slave-timeout); then the master is "
						+ "restarted before the retry",
				Map.of(), (topology, recorder) -> {
					RedisProcess master = topology.master();
					long killed = recorder.elapsedMillis();
					recorder.fault("kill -9 master " + master.address());
					master.kill();
					recorder.awaitEvent("+selected-slave", killed, EVENT_TIMEOUT);
					recorder.awaitEvent("-failover-abort-slave-timeout", killed, EVENT_TIMEOUT);
					recorder.recordFor(Duration.ofSeconds(1));
					long restarted = recorder.elapsedMillis();
					recorder.fault("restore: restart master " + master.address());
					master.start();
					awaitOptionalEvent(recorder, "-odown", restarted, Duration.ofSeconds(10));
					recorder.recordFor(Duration.ofSeconds(3));
				});
	}

	@Test
	@Timeout(120)
	void tilt() {
		record("tilt", topology(),
				"SIGSTOP sentinel-3 for 3.5 s then SIGCONT: its timer finds more than 2 s gone and it enters TILT "
						+ "for 30 s; the others see it +sdown and -sdown",
				Map.of(), (topology, recorder) -> {
					RedisProcess sentinel = topology.sentinels().get(2);
					recorder.fault("SIGSTOP sentinel " + sentinel.address());
					sentinel.freeze();
					recorder.recordFor(Duration.ofMillis(3500));
					long resumed = recorder.elapsedMillis();
					recorder.fault("resume: SIGCONT sentinel " + sentinel.address());
					sentinel.unfreeze();
					recorder.awaitEvent("+tilt", resumed, Duration.ofSeconds(10));
					recorder.awaitEvent("-tilt", resumed, Duration.ofSeconds(45));
					recorder.recordFor(Duration.ofSeconds(2));
				});
	}

	@Test
	@Timeout(120)
	void sentinelsRestarted() {
		record("sentinels-restarted", topology(),
				"each sentinel in turn is killed (kill -9) and restarted while the master stays up", Map.of(),
				(topology, recorder) -> {
					for (RedisProcess sentinel : topology.sentinels()) {
						recorder.fault("kill -9 sentinel " + sentinel.address());
						sentinel.kill();
						recorder.recordFor(Duration.ofMillis(1500));
						recorder.fault("restore: restart sentinel " + sentinel.address());
						sentinel.start();
						recorder.recordFor(Duration.ofMillis(2500));
					}
					recorder.recordFor(Duration.ofSeconds(2));
				});
	}

	@Test
	@Timeout(120)
	void staleSentinel() {
		recordStaleSentinel("stale-sentinel",
				"SIGSTOP sentinel-3, kill -9 the master; the other two fail over; sentinel-3 is resumed after "
						+ "+switch-master and names the old master until it catches up",
				"SIGSTOP", RedisProcess::freeze, "resume: SIGCONT", RedisProcess::unfreeze);
	}

	@Test
	@Timeout(120)
	void staleSentinelRestarted() {
		recordStaleSentinel("stale-sentinel-restarted",
				"kill -9 sentinel-3, kill -9 the master; the other two fail over; sentinel-3 is restarted after "
						+ "+switch-master from its config file, which names the old master, until the hello messages "
						+ "of the others reach it",
				"kill -9", RedisProcess::kill, "restore: restart", RedisProcess::start);
	}

	/**
	 * Take sentinel-3 away, kill the master, and bring sentinel-3 back after the others' +switch-master.
	 */
	private void recordStaleSentinel(String scenario, String notes, String stopping,
			Consumer<RedisProcess> stop, String resuming, Consumer<RedisProcess> resume) {
		record(scenario, topology(), notes, Map.of(), (topology, recorder) -> {
			RedisProcess stale = topology.sentinels().get(2);
			RedisProcess master = topology.master();
			recorder.fault(stopping + " sentinel " + stale.address());
			stop.accept(stale);
			long killed = recorder.elapsedMillis();
			recorder.fault("kill -9 master " + master.address());
			master.kill();
			recorder.awaitEvent("+switch-master", killed, EVENT_TIMEOUT);
			recorder.recordFor(Duration.ofSeconds(1));
			long back = recorder.elapsedMillis();
			recorder.fault(resuming + " sentinel " + stale.address());
			resume.accept(stale);
			recorder.awaitEvent((event) -> event.sentinel().equals(stale.address())
					&& event.channel().equals("+switch-master") && event.t() >= back, Duration.ofSeconds(20));
			recorder.recordFor(Duration.ofSeconds(3));
		});
	}

	@Test
	@Timeout(120)
	void learnedSentinel() {
		record("learned-sentinel", topology(),
				"a 4th sentinel is started during the recording; the others announce +sentinel; the recorder "
						+ "follows it from the first SENTINEL SENTINELS answer that names it",
				Map.of(), (topology, recorder) -> {
					List<RedisProcess> original = topology.sentinels();
					long started = recorder.elapsedMillis();
					recorder.fault("start sentinel-4");
					RedisProcess added = topology.addSentinel();
					recorder.fault("sentinel-4 listens on " + added.address());
					for (RedisProcess sentinel : original) {
						recorder.awaitEvent((event) -> event.sentinel().equals(sentinel.address())
								&& event.channel().equals("+sentinel") && event.t() >= started
								&& event.message().contains(" " + added.port() + " "), Duration.ofSeconds(20));
					}
					recorder.recordFor(Duration.ofSeconds(3));
				});
	}

	@Test
	@Timeout(120)
	void natAnnounced() {
		LocalSentinelTopologyBuilder builder = topology().replicas(2)
			.announceIp("replica-2", "127.0.0.2")
			.announceIp("sentinel-3", "127.0.0.3");
		record("nat-announced", builder,
				"2 replicas; replica-2 announces replica-announce-ip 127.0.0.2 and sentinel-3 announces "
						+ "sentinel announce-ip 127.0.0.3, where nothing listens (see announcedAddresses): the other "
						+ "sentinels list them under those addresses and cannot reach them, so replica-1 is promoted; "
						+ "kill -9 the master",
				null, (topology, recorder) -> {
					RedisProcess master = topology.master();
					long killed = recorder.elapsedMillis();
					recorder.fault("kill -9 master " + master.address());
					master.kill();
					recorder.awaitEvent("+switch-master", killed, EVENT_TIMEOUT);
					recorder.recordFor(Duration.ofSeconds(4));
				});
	}

	private static LocalSentinelTopologyBuilder topology() {
		return LocalSentinelTopology.builder();
	}

	private static void awaitOptionalEvent(SentinelHistoryRecorder recorder, String channel, long since,
			Duration timeout) {
		recorder.awaitEvent((event) -> event.channel().equals(channel) && event.t() >= since, timeout);
	}

	private void record(String scenario, LocalSentinelTopologyBuilder builder, String notes,
			Map<String, String> announced, Scenario body) {
		record(scenario, builder, notes, announced, body, (topology) -> {
		});
	}

	/**
	 * Record one scenario: a fresh topology, {@code prepare}, a 2 s baseline, then the scenario.
	 * @param announced the announced addresses, or {@code null} to derive them from the topology's processes
	 */
	private void record(String scenario, LocalSentinelTopologyBuilder builder, String notes,
			Map<String, String> announced, Scenario body, Preparation prepare) {
		RedisServerBinary binary = RedisServerBinary.locate();
		Path file = corpusDirectory().resolve(majorMinor(binary.version())).resolve(scenario + ".jsonl");
		try (LocalSentinelTopology topology = builder.binary(binary).start()) {
			prepare.prepare(topology);
			Map<String, String> addresses = (announced != null) ? announced : announcedAddresses(topology);
			try (SentinelHistoryRecorder recorder = SentinelHistoryRecorder.builder(topology, file)
				.scenario(scenario)
				.notes(notes)
				.announcedAddresses(addresses)
				.maxDuration(Duration.ofSeconds(100))
				.start()) {
				recorder.recordFor(BASELINE);
				body.run(topology, recorder);
			}
		}
		SentinelHistory history = SentinelHistory.read(file);
		System.out.println("Recorded " + file + ": " + size(file) + " bytes, " + history);
		assertThat(size(file)).as("size of %s", file).isLessThan(300_000);
	}

	/** The NAT scenario's processes: replica-2 as 127.0.0.2, sentinel-3 as 127.0.0.3. */
	private static Map<String, String> announcedAddresses(LocalSentinelTopology topology) {
		RedisProcess replica = topology.servers().get(2);
		RedisProcess sentinel = topology.sentinels().get(2);
		return Map.of("127.0.0.2:" + replica.port(), replica.address(), "127.0.0.3:" + sentinel.port(),
				sentinel.address());
	}

	private static Path corpusDirectory() {
		return Path.of(System.getProperty("sentinel-histories.dir", "src/main/resources/sentinel-histories"));
	}

	static String majorMinor(String version) {
		Matcher matcher = Pattern.compile("v=(\\d+\\.\\d+)").matcher(version);
		assertThat(matcher.find()).as("version in '%s'", version).isTrue();
		return Objects.requireNonNull(matcher.group(1));
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@FunctionalInterface
	private interface Scenario {

		void run(LocalSentinelTopology topology, SentinelHistoryRecorder recorder);

	}

	@FunctionalInterface
	private interface Preparation {

		void prepare(LocalSentinelTopology topology);

	}

}
