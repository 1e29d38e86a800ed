package dev.haredis.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelEvent;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologySnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class SentinelTopologyHealthIndicatorTests {

	private static final NodeAddress OLD = new NodeAddress("10.0.0.1", 6379);

	private static final NodeAddress NEW = new NodeAddress("10.0.0.2", 6379);

	private final SentinelTopology topology = mock(SentinelTopology.class);

	private final SentinelTopologyHealthIndicator indicator = new SentinelTopologyHealthIndicator(this.topology, 2);

	@Test
	void upShowsMasterReplicasSentinelsAndLastFailover() {
		given(this.topology.getSnapshot()).willReturn(snapshot(true, true, List.of(true, true, true)));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		Map<String, Object> details = health.getDetails();
		assertThat(details).containsEntry("masterName", "mymaster")
			.containsEntry("master", "10.0.0.2:6379")
			.containsEntry("roleVerified", true)
			.containsEntry("configEpoch", 4L)
			.doesNotContainKey("problems");
		assertThat(details.get("replicas")).asList()
			.containsExactly(Map.of("address", "10.0.0.1:6379", "state", "online", "lagBytes", 0L));
		assertThat(details.get("sentinels")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("reached", 3)
			.containsEntry("known", 3)
			.containsEntry("quorum", 2)
			.containsEntry("quorumCheck", "OK 3 usable Sentinels. Quorum and failover authorization can be reached");
		assertThat(details.get("lastFailover")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("from", "10.0.0.1:6379")
			.containsEntry("to", "10.0.0.2:6379")
			.containsEntry("durationMillis", 3200L);
		assertThat(details.get("recentEvents")).asList().hasSize(2);
	}

	@Test
	void degradedNamesTheProblems() {
		given(this.topology.getSnapshot()).willReturn(snapshot(true, true, List.of(true, false, false)));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(SentinelTopologyHealthIndicator.DEGRADED);
		assertThat(health.getDetails().get("problems")).asList()
			.contains("only 1 of 3 sentinels reachable; a failover needs a majority (2)");
	}

	@Test
	void downWhenTheMasterIsNotVerified() {
		given(this.topology.getSnapshot()).willReturn(snapshot(false, true, List.of(true, true, true)));
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void downWithTheProblemsWhenTheMasterWasNeverVerified() {
		// As when the announced master cannot be reached from the start (ha.redis.fail-fast=false).
		TopologySnapshot unreachable = new TopologySnapshot("mymaster", NEW, false, null, List.of(),
				List.of(new TopologySnapshot.Sentinel(new NodeAddress("10.0.0.10", 26379), true, null)), 2, null, false,
				1, false, null, List.of(), Map.of(), "master 10.0.0.2:6379 cannot be reached (Connection refused)");
		given(this.topology.getSnapshot()).willReturn(unreachable);
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).doesNotContainKey("error")
			.doesNotContainKey("roleVerifiedAt")
			.containsEntry("master", NEW.toString())
			.containsEntry("roleVerified", false);
		assertThat(health.getDetails().get("problems")).asList()
			.contains("master 10.0.0.2:6379 cannot be reached (Connection refused)");
	}

	@Test
	void downWithTheProblemsWhenNoMasterIsKnown() {
		given(this.topology.getSnapshot())
			.willReturn(TopologySnapshot.unknown("mymaster", List.of(new NodeAddress("10.0.0.10", 26379))));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).doesNotContainKey("error").doesNotContainKey("master");
		assertThat(health.getDetails().get("problems")).asList().contains("no master is known");
	}

	@Test
	@SuppressWarnings("unchecked")
	void degradedShowsALearnedSentinelNamingAnUnconfirmedMaster() {
		NodeAddress rogue = new NodeAddress("10.6.6.6", 26379);
		TopologySnapshot healthy = snapshot(true, true, List.of(true, true, true));
		List<TopologySnapshot.Sentinel> sentinels = new java.util.ArrayList<>(healthy.sentinels());
		sentinels.add(new TopologySnapshot.Sentinel(rogue, true, null, true, new NodeAddress("10.6.6.7", 6379)));
		given(this.topology.getSnapshot()).willReturn(new TopologySnapshot("mymaster", NEW, true, null,
				healthy.replicas(), sentinels, 2, null, false, 4, false, null, List.of(), Map.of(), null));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(SentinelTopologyHealthIndicator.DEGRADED);
		List<Map<String, Object>> nodes = (List<Map<String, Object>>) ((Map<String, Object>) health.getDetails()
			.get("sentinels")).get("nodes");
		assertThat(nodes.get(0)).doesNotContainKeys("learned", "unconfirmedMaster");
		assertThat(nodes.get(3)).containsEntry("learned", true).containsEntry("unconfirmedMaster", "10.6.6.7:6379");
	}

	@Test
	void hasNoCredentialFields() {
		given(this.topology.getSnapshot()).willReturn(snapshot(true, true, List.of(true, true, false)));
		assertThat(keys(this.indicator.health().getDetails())).noneMatch((key) -> key.toLowerCase().contains("pass")
				|| key.toLowerCase().contains("user") || key.toLowerCase().contains("acl"));
	}

	private static List<String> keys(Object details) {
		List<String> keys = new java.util.ArrayList<>();
		if (details instanceof Map<?, ?> map) {
			map.forEach((key, value) -> {
				keys.add(String.valueOf(key));
				keys.addAll(keys(value));
			});
		}
		else if (details instanceof List<?> list) {
			list.forEach((item) -> keys.addAll(keys(item)));
		}
		return keys;
	}

	private static TopologySnapshot snapshot(boolean verified, boolean replicaOnline, List<Boolean> sentinels) {
		List<TopologySnapshot.Sentinel> nodes = new java.util.ArrayList<>();
		for (int i = 0; i < sentinels.size(); i++) {
			nodes.add(new TopologySnapshot.Sentinel(new NodeAddress("10.0.0." + (10 + i), 26379), sentinels.get(i),
					sentinels.get(i) ? null : "WRONGPASS invalid username-password pair or user is disabled."));
		}
		Instant at = Instant.parse("2026-11-25T10:00:00Z");
		List<SentinelEvent> events = List.of(
				SentinelEvent.parse("+sdown", "master mymaster 10.0.0.1 6379", nodes.get(0).address(), at),
				SentinelEvent.parse("+odown", "master mymaster 10.0.0.1 6379 #quorum 2/2", nodes.get(0).address(), at),
				SentinelEvent.parse("+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6379", nodes.get(0).address(), at));
		return new TopologySnapshot("mymaster", NEW, verified, at,
				List.of(new TopologySnapshot.Replica(OLD, replicaOnline ? "online" : "down", 0L)), nodes, 2,
				"OK 3 usable Sentinels. Quorum and failover authorization can be reached", true, 4, false,
				new TopologySnapshot.Failover(OLD, NEW, at, Duration.ofMillis(3200), "+switch-master from sentinel"),
				events, Map.of(), null);
	}

}
