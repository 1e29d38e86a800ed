package dev.haredis.autoconfigure.topology;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;

import dev.haredis.topology.TopologyEvent;

/**
 * Collects the topology events the application publishes.
 */
class TopologyEventCollector {

	private final List<TopologyEvent> events = new CopyOnWriteArrayList<>();

	@EventListener
	void on(TopologyEvent event) {
		this.events.add(event);
	}

	<T extends TopologyEvent> List<T> events(Class<T> type) {
		return this.events.stream().filter(type::isInstance).map(type::cast).toList();
	}

}
