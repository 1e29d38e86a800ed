package dev.haredis.autoconfigure.connection;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;

import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;

/**
 * Publishes every {@link TopologyEvent} as a Spring application event, so {@code @EventListener} methods can take
 * {@code MasterSwitchedEvent}, {@code SentinelEvent} and the others. Told after the connection layer and the
 * purposes have acted on the event ({@link TopologyListener#APPLICATION_EVENTS}).
 */
class TopologyEventPublisher implements TopologyListener, Ordered {

	private final ApplicationEventPublisher publisher;

	TopologyEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		this.publisher.publishEvent(event);
	}

	@Override
	public int getOrder() {
		return APPLICATION_EVENTS;
	}

}
