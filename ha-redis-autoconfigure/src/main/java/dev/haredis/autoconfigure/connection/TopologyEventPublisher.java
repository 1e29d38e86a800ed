package dev.haredis.autoconfigure.connection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;

import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;

/**
 * Publishes every {@link TopologyEvent} as a Spring application event, so {@code @EventListener} methods can take
 * {@code MasterSwitchedEvent}, {@code SentinelEvent} and the others. Registered last, after the connection layer
 * has acted on the event.
 */
class TopologyEventPublisher implements TopologyListener, SmartInitializingSingleton {

	private final ObjectProvider<SentinelTopology> topology;

	private final ApplicationEventPublisher publisher;

	TopologyEventPublisher(ObjectProvider<SentinelTopology> topology, ApplicationEventPublisher publisher) {
		this.topology = topology;
		this.publisher = publisher;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.topology.ifAvailable((sentinelTopology) -> sentinelTopology.addListener(this));
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		this.publisher.publishEvent(event);
	}

}
