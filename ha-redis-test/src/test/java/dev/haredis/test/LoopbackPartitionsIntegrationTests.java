package dev.haredis.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two partitions of a {@link LocalSentinelTopologyBuilder#partitionable() partitionable} topology behave as
 * partitions do: the sides stop hearing each other without a reset, the sentinels promote on the majority side, the
 * application reaches what it should, and everything is removed afterwards.
 */
@RequiresLoopbackPartitions
class LoopbackPartitionsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	@Test
	void partitionedMasterKeepsAcceptingWritesThatTheSentinelsPromotedReplicaNeverSees() {
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().partitionable().start()) {
			RedisProcess replica = topology.replicas().get(0);
			RedisProcess master = topology.partitions().partitionMaster(Duration.ofSeconds(60));
			// The application (127.0.0.1, in no cgroup) still writes to the old master and reaches the sentinels.
			assertThat(applicationCommand(master.port(), "SET", "during", "partition")).isEqualTo("OK");
			assertThat(applicationCommand(topology.sentinels().get(0).port(), "PING")).isEqualTo("PONG");
			RedisProcess promoted = topology.awaitNewMaster(master, Duration.ofSeconds(30));
			assertThat(promoted).isSameAs(replica);
			assertThat(master.role()).isEqualTo("master");
			assertThat(replica.command("GET", "during")).isNull();
			topology.restore();
			// Healed: the old master resynchronised from the promoted one and dropped the write.
			assertThat(master.role()).isEqualTo("slave");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(master.command("GET", "during")).isNull());
		}
		assertNoRulesOrCgroupsLeft();
	}

	@Test
	void applicationOnTheMinoritySideReachesOnlyTheOldMaster() {
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().partitionable().start()) {
			RedisProcess sentinel = topology.sentinels().get(0);
			RedisProcess replica = topology.replicas().get(0);
			RedisProcess master = topology.partitions().partitionMasterWithApplication(Duration.ofSeconds(60));
			assertThat(applicationCommand(master.port(), "PING")).isEqualTo("PONG");
			assertThat(applicationReaches(sentinel.port())).isFalse();
			assertThat(applicationReaches(replica.port())).isFalse();
			// The test's own connections (from 127.0.0.2) still see the majority side promote the replica.
			assertThat(topology.awaitNewMaster(master, Duration.ofSeconds(30))).isSameAs(replica);
			topology.partitions().heal();
			assertThat(applicationCommand(sentinel.port(), "PING")).isEqualTo("PONG");
		}
		assertNoRulesOrCgroupsLeft();
	}

	@Test
	void partitionHealsByItselfAfterItsBound() {
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().partitionable().start()) {
			RedisProcess sentinel = topology.sentinels().get(0);
			topology.partitions().partitionMasterWithApplication(Duration.ofSeconds(2));
			assertThat(applicationReaches(sentinel.port())).isFalse();
			await().atMost(Duration.ofSeconds(5)).until(() -> applicationReaches(sentinel.port()));
		}
		assertNoRulesOrCgroupsLeft();
	}

	/** A command from 127.0.0.1, as the application sends it. */
	private static Object applicationCommand(int port, String... command) {
		try (RespConnection connection = RespConnection.open(port, TIMEOUT)) {
			return connection.command(command);
		}
	}

	private static boolean applicationReaches(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			socket.setSoTimeout(500);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			return socket.getInputStream().read() >= 0;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void assertNoRulesOrCgroupsLeft() {
		String marker = "ha-redis-test-" + ProcessHandle.current().pid();
		assertThat(iptables("filter") + iptables("mangle")).doesNotContain(marker);
		try (Stream<Path> cgroups = Files.list(Path.of("/sys/fs/cgroup/unified"))) {
			assertThat(cgroups.map((path) -> path.getFileName().toString())).noneMatch((name) -> name.startsWith(marker));
		}
		catch (IOException ex) {
			// A host with the cgroup v2 hierarchy elsewhere: the iptables check above still applies.
		}
	}

	private static String iptables(String table) {
		try {
			Process process = new ProcessBuilder("iptables", "-w", "5", "-t", table, "-S", "OUTPUT").start();
			String rules = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(10, TimeUnit.SECONDS);
			return rules;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
