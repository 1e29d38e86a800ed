package dev.haredis.topology;

/**
 * Called by {@link SentinelTopology} on its own thread, in the order things happen. Implementations must be quick
 * and must not block: the next event waits for them.
 */
@FunctionalInterface
public interface TopologyListener {

	/**
	 * Handle an event.
	 * @param event the event
	 */
	void onTopologyEvent(TopologyEvent event);

}
