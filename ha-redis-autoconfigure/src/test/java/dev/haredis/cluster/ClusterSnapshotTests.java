package dev.haredis.cluster;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.TopologyHealth;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterSnapshotTests {

	private static final String HEALTHY = """
			a1 127.0.0.1:30001@1 master - 0 0 1 connected 0-5460
			b1 127.0.0.1:30002@1 master - 0 0 2 connected 5461-10922
			c1 127.0.0.1:30003@1 master - 0 0 3 connected 10923-16383
			a2 127.0.0.1:30004@1 slave a1 0 0 1 connected
			b2 127.0.0.1:30005@1 slave b1 0 0 2 connected
			c2 127.0.0.1:30006@1 slave c1 0 0 3 connected
			""";

	@Test
	void upWhenEverySlotHasAHealthyMasterAndEveryShardAReplica() {
		ClusterSnapshot snapshot = snapshot(HEALTHY, Set.of());
		assertThat(snapshot.health()).isEqualTo(TopologyHealth.UP);
		assertThat(snapshot.slotsAssigned()).isEqualTo(16384);
		assertThat(snapshot.slotsFailing()).isZero();
	}

	@Test
	void downBeforeAnyAnswerWhenSlotsHaveNoMasterAndWhenAMasterFails() {
		assertThat(ClusterSnapshot.EMPTY.health()).isEqualTo(TopologyHealth.DOWN);
		assertThat(snapshot(HEALTHY.replace(" 10923-16383", " 10923-16000"), Set.of()).health())
			.isEqualTo(TopologyHealth.DOWN);
		ClusterSnapshot failing = snapshot(HEALTHY.replace("c1 127.0.0.1:30003@1 master -",
				"c1 127.0.0.1:30003@1 master,fail -"), Set.of());
		assertThat(failing.health()).isEqualTo(TopologyHealth.DOWN);
		assertThat(failing.slotsFailing()).isEqualTo(16384 - 10923);
		ClusterSnapshot unreachable = snapshot(HEALTHY, Set.of(new NodeAddress("127.0.0.1", 30002)));
		assertThat(unreachable.health()).as("this application cannot write to its slots").isEqualTo(TopologyHealth.DOWN);
	}

	@Test
	void degradedWhenAShardLostItsReplicaOrAReplicaIsUnreachable() {
		String promoted = """
				a1 127.0.0.1:30001@1 master - 0 0 1 connected 0-5460
				b1 127.0.0.1:30002@1 master - 0 0 2 connected 5461-10922
				c1 127.0.0.1:30003@1 master,fail - 0 0 3 disconnected
				a2 127.0.0.1:30004@1 slave a1 0 0 1 connected
				b2 127.0.0.1:30005@1 slave b1 0 0 2 connected
				c2 127.0.0.1:30006@1 master - 0 0 7 connected 10923-16383
				""";
		assertThat(snapshot(promoted, Set.of()).health()).isEqualTo(TopologyHealth.DEGRADED);
		assertThat(snapshot(HEALTHY, Set.of(new NodeAddress("127.0.0.1", 30005))).health())
			.isEqualTo(TopologyHealth.DEGRADED);
	}

	private static ClusterSnapshot snapshot(String nodes, Set<NodeAddress> unreachable) {
		return new ClusterSnapshot(ClusterView.parse(nodes), unreachable, Map.of(), 0, Instant.EPOCH);
	}

}
