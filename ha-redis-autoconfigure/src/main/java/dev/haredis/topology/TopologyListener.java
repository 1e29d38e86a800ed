package dev.haredis.topology;

import org.springframework.core.Ordered;

/**
 * Called by {@link SentinelTopology} on its own thread, in the order things happen. Implementations must be quick
 * and must not block: the next event waits for them.
 * <p>
 * Listeners are beans: the topology takes every {@code TopologyListener} bean when it starts, in their order
 * ({@link Ordered}, {@code @Order}): the connection layer first ({@link #CONNECTIONS}), so that connections to an
 * old master are closed before anyone else hears of a switch, then the purposes ({@link #PURPOSES}: sessions,
 * messaging, metrics), then the application events ({@link #APPLICATION_EVENTS}); a listener without an order comes
 * last.
 */
@FunctionalInterface
public interface TopologyListener {

	/** The order of the connection layer's listener, which closes connections to an old master. */
	int CONNECTIONS = Ordered.HIGHEST_PRECEDENCE + 100;

	/** The order of the purposes' listeners: sessions, messaging, metrics. */
	int PURPOSES = 0;

	/** The order of the listener that publishes every event as a Spring application event. */
	int APPLICATION_EVENTS = Ordered.LOWEST_PRECEDENCE - 100;

	/**
	 * Handle an event.
	 * @param event the event
	 */
	void onTopologyEvent(TopologyEvent event);

}
