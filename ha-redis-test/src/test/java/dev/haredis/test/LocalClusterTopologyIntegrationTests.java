package dev.haredis.test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real local cluster (3 masters, a replica each, {@code cluster-node-timeout} 2 s): formed healthy, and each fault
 * ends with the failed master's replica serving its slots and, once restored, the old master replicating it.
 */
class LocalClusterTopologyIntegrationTests {

	private static final Duration FAILOVER = Duration.ofSeconds(30);

	@RegisterExtension
	static final LocalClusterTopologyExtension cluster = new LocalClusterTopologyExtension();

	@AfterEach
	void restore() {
		cluster.topology().restore();
	}

	@Test
	void formsThreeShardsThatServeEverySlotAndComputesSlotsAsTheServers() {
		LocalClusterTopology topology = cluster.topology();
		assertThat(topology.nodes()).hasSize(6);
		List<RedisProcess> masters = IntStream.of(0, 8000, 16383).mapToObj(topology::masterOf).distinct().toList();
		assertThat(masters).hasSize(3).allSatisfy((master) -> {
			assertThat(master.role()).isEqualTo("master");
			assertThat(topology.replicasOf(master)).singleElement()
				.satisfies((replica) -> assertThat(replica.role()).isEqualTo("slave"));
		});
		RedisProcess any = topology.nodes().get(0);
		assertThat(String.valueOf(any.command("CLUSTER", "INFO"))).contains("cluster_state:ok")
			.contains("cluster_slots_ok:16384");
		for (String key : List.of("foo", "bar", "user:42", "{queue}:jobs", "{queue}:results", "é")) {
			assertThat(any.command("CLUSTER", "KEYSLOT", key)).as(key).isEqualTo((long) LocalClusterTopology.slot(key));
		}
		assertThat(topology.seedNodes().split(",")).hasSize(6);
	}

	@Test
	void aKilledMastersReplicaTakesItsSlotsAndTheOldMasterRejoinsAsItsReplica() {
		LocalClusterTopology topology = cluster.topology();
		int slot = LocalClusterTopology.slot("user:42");
		RedisProcess master = topology.masterOf(slot);
		RedisProcess replica = topology.replicasOf(master).get(0);
		// Acknowledged by the replica before the kill, so it survives the failover.
		boolean acknowledged = master.inSession(
				(connection) -> connection.acknowledgedAfter(1, Duration.ofSeconds(1), "SET", "user:42", "before"));
		assertThat(acknowledged).isTrue();
		RedisProcess killed = topology.killMasterOf(slot);
		RedisProcess promoted = topology.awaitNewMasterOf(slot, killed, FAILOVER);
		assertThat(promoted).isSameAs(replica);
		assertThat(promoted.command("GET", "user:42")).isEqualTo("before");
		topology.restore();
		assertThat(topology.masterOf(slot)).isSameAs(promoted);
		assertThat(topology.replicasOf(promoted)).containsExactly(killed);
	}

	@Test
	void aManualFailoverSwapsMasterAndReplicaWithoutLosingAWrite() {
		LocalClusterTopology topology = cluster.topology();
		int slot = LocalClusterTopology.slot("order:7");
		RedisProcess master = topology.masterOf(slot);
		RedisProcess replica = topology.replicasOf(master).get(0);
		for (int i = 0; i < 100; i++) {
			master.command("SET", "{order:7}:" + i, Integer.toString(i));
		}
		RedisProcess demoted = topology.failoverShardOf(slot);
		RedisProcess promoted = topology.awaitNewMasterOf(slot, demoted, FAILOVER);
		assertThat(promoted).isSameAs(replica);
		// CLUSTER FAILOVER waits for the replica to have the master's whole stream before it takes over.
		assertThat(promoted.command("GET", "{order:7}:99")).isEqualTo("99");
		topology.restore();
		assertThat(topology.replicasOf(promoted)).containsExactly(demoted);
	}

	@Test
	void aFrozenMasterIsReplacedAfterTheNodeTimeoutAndRejoinsAsAReplicaOnceResumed() {
		LocalClusterTopology topology = cluster.topology();
		int slot = LocalClusterTopology.slot("session:1");
		RedisProcess master = topology.masterOf(slot);
		RedisProcess replica = topology.replicasOf(master).get(0);
		RedisProcess frozen = topology.freezeMasterOf(slot);
		RedisProcess promoted = topology.awaitNewMasterOf(slot, frozen, FAILOVER);
		assertThat(promoted).isSameAs(replica);
		topology.restore();
		assertThat(frozen.role()).isEqualTo("slave");
		assertThat(topology.replicasOf(promoted)).containsExactly(frozen);
	}

}
