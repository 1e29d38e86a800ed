package dev.haredis.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.TopologyHealth;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterSnapshotTests {

	@Test
	void upWhenEverySlotHasAHealthyMasterAndEveryShardAReplica() {
		ClusterSnapshot snapshot = snapshot(ClusterCoreTests.healthy(), Set.of());
		assertThat(snapshot.health()).isEqualTo(TopologyHealth.UP);
		assertThat(snapshot.slotsAssigned()).isEqualTo(16384);
		assertThat(snapshot.slotsFailing()).isZero();
	}

	@Test
	void downBeforeAnyAnswerWhenSlotsHaveNoMasterAndWhenAMasterFails() {
		assertThat(ClusterSnapshot.EMPTY.health()).isEqualTo(TopologyHealth.DOWN);
		ClusterView uncovered = new ClusterView(ClusterCoreTests.healthy().shards().subList(0, 2), Set.of());
		assertThat(snapshot(uncovered, Set.of()).health()).isEqualTo(TopologyHealth.DOWN);
		ClusterSnapshot failing = snapshot(ClusterCoreTests.failing(), Set.of());
		assertThat(failing.health()).isEqualTo(TopologyHealth.DOWN);
		assertThat(failing.slotsFailing()).isEqualTo(16384 - 10923);
		ClusterSnapshot unreachable = snapshot(ClusterCoreTests.healthy(), Set.of(new NodeAddress("127.0.0.1", 30002)));
		assertThat(unreachable.health()).as("this application cannot write to its slots").isEqualTo(TopologyHealth.DOWN);
	}

	@Test
	void degradedWhenAShardLostItsReplicaOrAReplicaIsUnreachable() {
		assertThat(snapshot(ClusterCoreTests.promoted(), Set.of()).health()).isEqualTo(TopologyHealth.DEGRADED);
		assertThat(snapshot(ClusterCoreTests.healthy(), Set.of(new NodeAddress("127.0.0.1", 30005))).health())
			.isEqualTo(TopologyHealth.DEGRADED);
	}

	@Test
	void aShardsReplicasComeWithTheLagItsMasterReportedElseAsClusterNodesListsThem() {
		ClusterView view = ClusterCoreTests.healthy();
		ClusterSnapshot.Replica reported = new ClusterSnapshot.Replica(new NodeAddress("127.0.0.1", 30004), null,
				"online", 42L, true);
		ClusterSnapshot snapshot = new ClusterSnapshot(view, Set.of(), Map.of(), 0, Instant.EPOCH,
				Map.of(new NodeAddress("127.0.0.1", 30001), List.of(reported)));
		assertThat(snapshot.replicasOf(view.shards().get(0))).containsExactly(reported);
		assertThat(snapshot.replicasOf(view.shards().get(1))).as("its master not asked yet")
			.containsExactly(new ClusterSnapshot.Replica(new NodeAddress("127.0.0.1", 30005), null, null, null, true));
		assertThat(snapshot.health()).as("the lag does not change the verdict").isEqualTo(TopologyHealth.UP);
	}

	private static ClusterSnapshot snapshot(ClusterView view, Set<NodeAddress> unreachable) {
		return new ClusterSnapshot(view, unreachable, Map.of(), 0, Instant.EPOCH, Map.of());
	}

}
