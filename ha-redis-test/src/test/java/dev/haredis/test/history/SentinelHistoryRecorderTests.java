package dev.haredis.test.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.haredis.test.FakeRespServer;
import dev.haredis.test.history.HistoryRecord.RoleAnswer;
import dev.haredis.test.history.HistoryRecord.SentinelAnswer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recorder against fake servers on 127.0.0.1: a sentinel that never answers {@code SENTINEL CKQUORUM} and a data
 * node that answers {@code ROLE}.
 */
class SentinelHistoryRecorderTests {

	private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(300);

	private final CountDownLatch release = new CountDownLatch(1);

	private final FakeRespServer dataNode = FakeRespServer
		.start((command) -> "ROLE".equalsIgnoreCase(command.get(0)) ? List.of("master", 0L, List.of())
				: new FakeRespServer.ErrorReply("ERR unknown command"));

	private final FakeRespServer sentinel = FakeRespServer.start(this::answerAsSentinel);

	@TempDir
	Path directory;

	@AfterEach
	void stopServers() {
		this.release.countDown();
		this.sentinel.close();
		this.dataNode.close();
	}

	@Test
	void eachAnswerSaysHowLongItTookAndATimeoutTookTheSocketTimeout() {
		Path file = this.directory.resolve("took.jsonl");
		String sentinelAddress = "127.0.0.1:" + this.sentinel.port();
		String nodeAddress = "127.0.0.1:" + this.dataNode.port();
		try (SentinelHistoryRecorder recorder = SentinelHistoryRecorder.builder("mymaster", file)
			.sentinels(List.of(sentinelAddress))
			.dataNodes(List.of(nodeAddress))
			.socketTimeout(SOCKET_TIMEOUT)
			.maxDuration(Duration.ofSeconds(20))
			.start()) {
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(SentinelHistory.read(file)
					.sentinelAnswerAt(sentinelAddress, SentinelCommand.MYID, recorder.elapsedMillis())).isPresent());
		}
		SentinelHistory history = SentinelHistory.read(file);
		SentinelAnswer quorum = history.sentinelAnswerAt(sentinelAddress, SentinelCommand.CKQUORUM, history.duration())
			.orElseThrow();
		assertThat(quorum.error()).isEqualTo("timeout");
		assertThat(quorum.took()).isBetween(SOCKET_TIMEOUT.toMillis(), SOCKET_TIMEOUT.toMillis() + 1000);
		SentinelAnswer notSent = history.sentinelAnswerAt(sentinelAddress, SentinelCommand.MYID, history.duration())
			.orElseThrow();
		assertThat(notSent.error()).isEqualTo("timeout");
		assertThat(notSent.took()).isZero();
		SentinelAnswer address = history
			.sentinelAnswerAt(sentinelAddress, SentinelCommand.GET_MASTER_ADDR, history.duration())
			.orElseThrow();
		assertThat(address.address()).contains(nodeAddress);
		assertThat(address.took()).isBetween(0L, SOCKET_TIMEOUT.toMillis() - 1);
		RoleAnswer role = history.roleAt(nodeAddress, history.duration()).orElseThrow();
		assertThat(role.role()).contains("master");
		assertThat(role.took()).isBetween(0L, SOCKET_TIMEOUT.toMillis() - 1);
	}

	private Object answerAsSentinel(List<String> command) {
		String name = command.get(0).toUpperCase(Locale.ROOT);
		String sub = (command.size() > 1) ? command.get(1).toUpperCase(Locale.ROOT) : "";
		if (name.equals("INFO")) {
			return "# Server\r\nredis_version:7.0.15\r\n";
		}
		if (!name.equals("SENTINEL")) {
			return new FakeRespServer.ErrorReply("ERR unknown command");
		}
		return switch (sub) {
			case "GET-MASTER-ADDR-BY-NAME" -> List.of("127.0.0.1", Integer.toString(this.dataNode.port()));
			case "MASTER" -> List.of("name", "mymaster", "ip", "127.0.0.1", "port",
					Integer.toString(this.dataNode.port()), "flags", "master", "down-after-milliseconds", "2000");
			case "REPLICAS", "SENTINELS" -> List.of();
			case "CKQUORUM" -> neverAnswered();
			case "MYID" -> "0123456789012345678901234567890123456789";
			default -> new FakeRespServer.ErrorReply("ERR unknown sentinel subcommand");
		};
	}

	/** Hold the connection until the test ends: the recorder's read times out. */
	private Object neverAnswered() {
		try {
			this.release.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return new FakeRespServer.StatusReply("OK");
	}

}
