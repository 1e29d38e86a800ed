package dev.haredis.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologySnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class SentinelTopologyMetricsTests {

	@Test
	void readsEveryMeterFromTheSnapshot() {
		SentinelTopology topology = mock(SentinelTopology.class);
		NodeAddress master = new NodeAddress("10.0.0.2", 6379);
		given(topology.getMasterName()).willReturn("mymaster");
		given(topology.getFailovers()).willReturn(2L);
		given(topology.getReconciliationErrors()).willReturn(5L);
		given(topology.getSnapshot()).willReturn(new TopologySnapshot("mymaster", master, true, Instant.now(),
				List.of(new TopologySnapshot.Replica(new NodeAddress("10.0.0.1", 6379), "online", 0L)),
				List.of(new TopologySnapshot.Sentinel(new NodeAddress("10.0.0.10", 26379), true, null),
						new TopologySnapshot.Sentinel(new NodeAddress("10.0.0.11", 26379), false, "refused")),
				2, null, false, 1, false,
				new TopologySnapshot.Failover(new NodeAddress("10.0.0.1", 6379), master, Instant.now().minusSeconds(30),
						null, "+switch-master"),
				List.of(), Map.of(), null));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new SentinelTopologyMetrics(topology).bindTo(registry);
		assertThat(registry.get("ha.redis.failovers").tag("master", "mymaster").functionCounter().count()).isEqualTo(2);
		assertThat(registry.get("ha.redis.reconciliation.errors").functionCounter().count()).isEqualTo(5);
		assertThat(registry.get("ha.redis.sentinels.reachable").gauge().value()).isEqualTo(1);
		assertThat(registry.get("ha.redis.sentinels.known").gauge().value()).isEqualTo(2);
		assertThat(registry.get("ha.redis.replicas.online").gauge().value()).isEqualTo(1);
		assertThat(registry.get("ha.redis.master.verified").gauge().value()).isEqualTo(1);
		assertThat(registry.get("ha.redis.topology.health").gauge().value()).isEqualTo(1);
		assertThat(registry.get("ha.redis.failover.last.age").timeGauge().value()).isBetween(29.0, 60.0);
		assertThat(registry.get("ha.redis.master").tag("address", "10.0.0.2:6379").gauge().value()).isEqualTo(1);
	}

}
