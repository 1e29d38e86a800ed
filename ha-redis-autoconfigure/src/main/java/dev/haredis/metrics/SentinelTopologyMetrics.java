package dev.haredis.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.core.Ordered;

import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyHealth;
import dev.haredis.topology.TopologyListener;
import dev.haredis.topology.TopologySnapshot;

/**
 * Micrometer meters for a {@link SentinelTopology}, all tagged with the master name:
 * <ul>
 * <li>{@code ha.redis.failovers}: master switches the application followed;</li>
 * <li>{@code ha.redis.reconciliation.errors}: checks that found no verifiable master;</li>
 * <li>{@code ha.redis.sentinels.reachable} and {@code ha.redis.sentinels.known};</li>
 * <li>{@code ha.redis.replicas.online};</li>
 * <li>{@code ha.redis.master.verified}: 1 while the master answers {@code ROLE} as master;</li>
 * <li>{@code ha.redis.topology.health}: 0 up, 1 degraded, 2 down;</li>
 * <li>{@code ha.redis.failover.last.age}: time since the last failover the application followed;</li>
 * <li>{@code ha.redis.master}: 1, tagged with the current master's {@code address}.</li>
 * </ul>
 * Values are read from the topology's snapshot; registering costs no Redis round trip. As a
 * {@link TopologyListener} it moves the {@code ha.redis.master} tag on every event.
 */
public class SentinelTopologyMetrics implements MeterBinder, TopologyListener, Ordered {

	private final SentinelTopology topology;

	private final List<MultiGauge> masters = new CopyOnWriteArrayList<>();

	/**
	 * Create a new instance.
	 * @param topology the topology
	 */
	public SentinelTopologyMetrics(SentinelTopology topology) {
		this.topology = topology;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Tags tags = Tags.of("master", this.topology.getMasterName());
		SentinelTopology topology = this.topology;
		FunctionCounter.builder("ha.redis.failovers", topology, SentinelTopology::getFailovers)
			.description("Master switches the application followed")
			.tags(tags)
			.register(registry);
		FunctionCounter.builder("ha.redis.reconciliation.errors", topology, SentinelTopology::getReconciliationErrors)
			.description("Checks with the sentinels that found no verifiable master")
			.tags(tags)
			.register(registry);
		Gauge.builder("ha.redis.sentinels.reachable", topology, (t) -> t.getSnapshot().sentinelsReached())
			.description("Sentinels that answered at the last check")
			.tags(tags)
			.register(registry);
		Gauge.builder("ha.redis.sentinels.known", topology, (t) -> t.getSnapshot().sentinels().size())
			.description("Sentinels known (configured, announced or discovered)")
			.tags(tags)
			.register(registry);
		Gauge.builder("ha.redis.replicas.online", topology, (t) -> t.getSnapshot().replicasOnline())
			.description("Replicas online")
			.tags(tags)
			.register(registry);
		Gauge.builder("ha.redis.master.verified", topology, (t) -> t.getSnapshot().masterVerified() ? 1 : 0)
			.description("1 while the master answers ROLE as master")
			.tags(tags)
			.register(registry);
		Gauge.builder("ha.redis.topology.health", topology, (t) -> health(t.getSnapshot().health()))
			.description("0 up, 1 degraded, 2 down")
			.tags(tags)
			.register(registry);
		TimeGauge.builder("ha.redis.failover.last.age", topology, TimeUnit.SECONDS, SentinelTopologyMetrics::lastFailoverAge)
			.description("Time since the last failover the application followed")
			.tags(tags)
			.register(registry);
		MultiGauge master = MultiGauge.builder("ha.redis.master")
			.description("The current master, as the address tag")
			.tags(tags)
			.register(registry);
		this.masters.add(master);
		registerMaster(master);
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		this.masters.forEach(this::registerMaster);
	}

	@Override
	public int getOrder() {
		return PURPOSES;
	}

	private void registerMaster(MultiGauge master) {
		TopologySnapshot snapshot = this.topology.getSnapshot();
		master.register((snapshot.master() != null)
				? List.of(MultiGauge.Row.of(Tags.of("address", snapshot.master().toString()), 1))
				: List.of(), true);
	}

	private static double lastFailoverAge(SentinelTopology topology) {
		TopologySnapshot.Failover last = topology.getSnapshot().lastFailover();
		return (last != null) ? Duration.between(last.at(), Instant.now()).toMillis() / 1000.0 : Double.NaN;
	}

	/**
	 * Return the value of the {@code ha.redis.topology.health} gauge: 0 up, 1 degraded, 2 down.
	 */
	static int health(TopologyHealth health) {
		return switch (health) {
			case UP -> 0;
			case DEGRADED -> 1;
			case DOWN -> 2;
		};
	}

}
