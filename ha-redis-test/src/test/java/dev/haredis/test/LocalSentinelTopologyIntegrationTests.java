package dev.haredis.test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class LocalSentinelTopologyIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().password("data-secret").sentinelPassword("sentinel-secret"));

	@AfterEach
	void restore() {
		redis.topology().restore();
	}

	@Test
	void startsReplicatingMasterWatchedByThreeSentinels() {
		LocalSentinelTopology topology = redis.topology();
		RedisProcess master = topology.master();
		assertThat(master.role()).isEqualTo("master");
		assertThat(topology.replicas()).singleElement().satisfies((replica) -> {
			assertThat(replica.role()).isEqualTo("slave");
			assertThat(replica.port()).isNotEqualTo(master.port());
		});
		assertThat(topology.sentinelAddresses()).hasSize(3).allMatch((address) -> address.startsWith("127.0.0.1:"));
		master.command("SET", "greeting", "hello");
	}

	@Test
	void serversRequireTheirOwnPasswords() {
		RedisProcess sentinel = redis.topology().sentinels().get(0);
		assertThatExceptionOfType(RespConnection.RespErrorException.class).isThrownBy(() -> {
			try (RespConnection connection = RespConnection.open(sentinel.port(), Duration.ofSeconds(2))) {
				connection.command("SENTINEL", "MASTERS");
			}
		}).withMessageContaining("NOAUTH");
	}

	@Test
	void manualFailoverPromotesTheReplicaAndDemotesTheOldMaster() {
		LocalSentinelTopology topology = redis.topology();
		RedisProcess oldMaster = topology.failover();
		RedisProcess newMaster = topology.awaitNewMaster(oldMaster, Duration.ofSeconds(30));
		assertThat(newMaster.role()).isEqualTo("master");
		assertThat(oldMaster.isAlive()).isTrue();
		// The sentinels reconfigure the old master, still running, as a replica of the new one.
		awaitReplicates(oldMaster, newMaster);
	}

	@Test
	void killedMasterIsReplacedAndReturnsAsReplica() {
		LocalSentinelTopology topology = redis.topology();
		RedisProcess oldMaster = topology.killMaster();
		assertThat(oldMaster.pid()).isEqualTo(-1);
		RedisProcess newMaster = topology.awaitNewMaster(oldMaster, Duration.ofSeconds(30));
		topology.restore();
		assertThat(topology.master()).isSameAs(newMaster);
		// Restarted as the master it was, it is turned into a replica of the new master, not left a second master.
		awaitReplicates(oldMaster, newMaster);
	}

	/**
	 * Wait until both servers answer {@code ROLE} as a connected replica and its master. While the sentinels
	 * reconfigure a node they kill its client connections, so a reset connection means "not yet".
	 */
	private static void awaitReplicates(RedisProcess replica, RedisProcess master) {
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptionsInstanceOf(UncheckedIOException.class)
			.untilAsserted(() -> assertReplicates(replica, master));
	}

	/**
	 * Assert that both servers answer {@code ROLE} as a connected replica and its master.
	 */
	private static void assertReplicates(RedisProcess replica, RedisProcess master) {
		List<?> role = (List<?>) replica.command("ROLE");
		assertThat(role).as("ROLE of %s", replica).hasSizeGreaterThanOrEqualTo(4);
		assertThat(String.valueOf(role.get(0))).isEqualTo("slave");
		assertThat(String.valueOf(role.get(1))).isEqualTo("127.0.0.1");
		assertThat(String.valueOf(role.get(2))).isEqualTo(Integer.toString(master.port()));
		assertThat(String.valueOf(role.get(3))).isEqualTo("connected");
		List<?> masterRole = (List<?>) master.command("ROLE");
		assertThat(String.valueOf(masterRole.get(0))).isEqualTo("master");
		assertThat((List<?>) masterRole.get(2)).as("replicas of %s", master)
			.anySatisfy((entry) -> assertThat(String.valueOf(((List<?>) entry).get(1)))
				.isEqualTo(Integer.toString(replica.port())));
	}

}
