package dev.haredis.cluster;

import java.time.Instant;
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

	private static ClusterSnapshot snapshot(ClusterView view, Set<NodeAddress> unreachable) {
		return new ClusterSnapshot(view, unreachable, Map.of(), 0, Instant.EPOCH);
	}

}
