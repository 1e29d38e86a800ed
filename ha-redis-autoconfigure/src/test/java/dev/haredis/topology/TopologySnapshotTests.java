package dev.haredis.topology;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopologySnapshotTests {

	static final NodeAddress MASTER = new NodeAddress("10.0.0.1", 6379);

	static TopologySnapshot snapshot(boolean verified, int sentinelsReached, int replicasOnline,
			boolean failoverInProgress) {
		List<TopologySnapshot.Sentinel> sentinels = List.of(sentinel(1, sentinelsReached >= 1),
				sentinel(2, sentinelsReached >= 2), sentinel(3, sentinelsReached >= 3));
		List<TopologySnapshot.Replica> replicas = (replicasOnline > 0)
				? List.of(new TopologySnapshot.Replica(new NodeAddress("10.0.0.2", 6379), "online", 12L))
				: List.of(new TopologySnapshot.Replica(new NodeAddress("10.0.0.2", 6379), "down", null));
		return new TopologySnapshot("mymaster", MASTER, verified, null, replicas, sentinels, 2, "OK 3 usable Sentinels",
				true, 3, failoverInProgress, null, List.of(), Map.of(), null);
	}

	private static TopologySnapshot.Sentinel sentinel(int index, boolean reachable) {
		return new TopologySnapshot.Sentinel(new NodeAddress("10.0.0." + (10 + index), 26379), reachable,
				reachable ? null : "connection refused");
	}

	@Test
	void upWithVerifiedMasterSentinelMajorityAndReplica() {
		TopologySnapshot snapshot = snapshot(true, 3, 1, false);
		assertThat(snapshot.health()).isEqualTo(TopologyHealth.UP);
		assertThat(snapshot.problems()).isEmpty();
		assertThat(snapshot.majority()).isEqualTo(2);
	}

	@Test
	void stillUpWithOneOfThreeSentinelsLost() {
		assertThat(snapshot(true, 2, 1, false).health()).isEqualTo(TopologyHealth.UP);
	}

	@Test
	void degradedWithoutSentinelMajority() {
		TopologySnapshot snapshot = snapshot(true, 1, 1, false);
		assertThat(snapshot.health()).isEqualTo(TopologyHealth.DEGRADED);
		assertThat(snapshot.problems()).containsExactly(
				"only 1 of 3 sentinels reachable; a failover needs a majority (2)",
				"fewer sentinels reachable (1) than the quorum (2)");
	}

	@Test
	void degradedWithoutReplicaOrDuringFailover() {
		assertThat(snapshot(true, 3, 0, false).problems())
			.containsExactly("no replica online: a failover would have nothing to promote");
		assertThat(snapshot(true, 3, 1, true).problems()).containsExactly("a failover is in progress");
	}

	@Test
	void downWithoutVerifiedMaster() {
		TopologySnapshot snapshot = snapshot(false, 3, 1, false);
		assertThat(snapshot.health()).isEqualTo(TopologyHealth.DOWN);
		assertThat(snapshot.problems()).first().isEqualTo("master 10.0.0.1:6379 does not answer as a master");
		assertThat(TopologySnapshot.unknown("mymaster", List.of(MASTER)).health()).isEqualTo(TopologyHealth.DOWN);
	}

	@Test
	void degradedWhileALearnedSentinelNamesAnUnconfirmedMaster() {
		TopologySnapshot healthy = snapshot(true, 3, 1, false);
		List<TopologySnapshot.Sentinel> sentinels = new java.util.ArrayList<>(healthy.sentinels());
		sentinels.add(new TopologySnapshot.Sentinel(new NodeAddress("10.6.6.6", 26379), true, null, true,
				new NodeAddress("10.6.6.7", 6379)));
		TopologySnapshot snapshot = new TopologySnapshot("mymaster", MASTER, true, null, healthy.replicas(), sentinels,
				2, "OK 3 usable Sentinels", true, 3, false, null, List.of(), Map.of(), null);
		assertThat(snapshot.health()).isEqualTo(TopologyHealth.DEGRADED);
		assertThat(snapshot.problems()).containsExactly("sentinel 10.6.6.6:26379 names 10.6.6.7:6379 as master, "
				+ "which no configured sentinel confirms (ignored; a rogue or misconfigured sentinel)");
	}

}
