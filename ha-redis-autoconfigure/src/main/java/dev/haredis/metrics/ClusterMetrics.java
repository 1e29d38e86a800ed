package dev.haredis.metrics;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.cluster.ClusterSnapshot;

/**
 * Micrometer meters for a Redis Cluster, read from the {@link ClusterMonitor}'s snapshot (no Redis round trip):
 * <ul>
 * <li>{@code ha.redis.cluster.failovers}: slot moves to a new master the application followed;</li>
 * <li>{@code ha.redis.cluster.slots.assigned} and {@code ha.redis.cluster.slots.failing};</li>
 * <li>{@code ha.redis.cluster.shards}: masters that serve slots;</li>
 * <li>{@code ha.redis.cluster.nodes.unreachable} and {@code ha.redis.cluster.nodes.failing} (flagged by the
 * cluster);</li>
 * <li>{@code ha.redis.topology.health}: 0 up, 1 degraded, 2 down, tagged {@code topology=cluster}.</li>
 * </ul>
 */
public class ClusterMetrics implements MeterBinder {

	private final ClusterMonitor monitor;

	/**
	 * Create a new instance.
	 * @param monitor the cluster monitor
	 */
	public ClusterMetrics(ClusterMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ClusterMonitor monitor = this.monitor;
		FunctionCounter.builder("ha.redis.cluster.failovers", monitor, (m) -> m.getSnapshot().failovers())
			.description("Slot moves to a new master the application followed")
			.register(registry);
		gauge(registry, "ha.redis.cluster.slots.assigned", "Slots a master serves", ClusterSnapshot::slotsAssigned);
		gauge(registry, "ha.redis.cluster.slots.failing", "Slots whose master is failing or unreachable",
				ClusterSnapshot::slotsFailing);
		gauge(registry, "ha.redis.cluster.shards", "Masters that serve slots", (s) -> s.shards().size());
		gauge(registry, "ha.redis.cluster.nodes.unreachable", "Nodes the monitor could not reach",
				(s) -> s.unreachable().size());
		gauge(registry, "ha.redis.cluster.nodes.failing", "Nodes the cluster flags failing", (s) -> s.failing().size());
		Gauge.builder("ha.redis.topology.health", monitor,
				(m) -> SentinelTopologyMetrics.health(m.getSnapshot().health()))
			.description("0 up, 1 degraded, 2 down")
			.tag("topology", "cluster")
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, String description,
			ToDoubleFunction<ClusterSnapshot> value) {
		Gauge.builder(name, this.monitor, (m) -> value.applyAsDouble(m.getSnapshot()))
			.description(description)
			.register(registry);
	}

}
