package dev.haredis.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.cluster.ClusterSnapshot;
import dev.haredis.cluster.ClusterView;
import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class ClusterHealthIndicatorTests {

	private static final ClusterView VIEW = ClusterView.parse("""
			a1 127.0.0.1:30001@1 master - 0 0 1 connected 0-8191
			b1 127.0.0.1:30002@1 master - 0 0 2 connected 8192-16383
			a2 127.0.0.1:30003@1 slave a1 0 0 1 connected
			a3 redis-a3:6379@1 slave a1 0 0 1 connected
			b2 127.0.0.1:30004@1 slave b1 0 0 2 connected
			""");

	private final ClusterMonitor monitor = mock(ClusterMonitor.class);

	private final ClusterHealthIndicator indicator = new ClusterHealthIndicator(this.monitor);

	@Test
	void eachShardShowsItsReplicasWithTheLagItsMasterReportedAsTheSentinelComponentDoes() {
		List<ClusterSnapshot.Replica> reported = List.of(
				new ClusterSnapshot.Replica(address("127.0.0.1", 30003), null, "online", 0L, true),
				new ClusterSnapshot.Replica(address("redis-a3", 6379), address("10.0.0.3", 6379), "online", 1200L,
						true),
				new ClusterSnapshot.Replica(address("10.0.0.9", 6379), null, "wait_bgsave", 5000L, false));
		given(this.monitor.getSnapshot()).willReturn(new ClusterSnapshot(VIEW, Set.of(), Map.of(), 0, Instant.EPOCH,
				Map.of(address("127.0.0.1", 30001), reported)));
		Health health = this.indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		List<?> shards = (List<?>) health.getDetails().get("shards");
		assertThat(((Map<?, ?>) shards.get(0)).get("replicas")).asList()
			.containsExactly(Map.of("address", "127.0.0.1:30003", "state", "online", "lagBytes", 0L),
					Map.of("address", "redis-a3:6379", "masterSeesAs", "10.0.0.3:6379", "state", "online",
							"lagBytes", 1200L),
					Map.of("address", "10.0.0.9:6379", "state", "wait_bgsave", "lagBytes", 5000L, "listed", false));
		assertThat(((Map<?, ?>) shards.get(1)).get("replicas")).as("its master not asked yet")
			.asList()
			.containsExactly(Map.of("address", "127.0.0.1:30004"));
	}

	private static NodeAddress address(String host, int port) {
		return new NodeAddress(host, port);
	}

}
