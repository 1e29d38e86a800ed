package dev.haredis.cluster;

/**
 * Called by the {@link ClusterMonitor} on its own thread, in the order things happen. Implementations must be quick
 * and must not block: the next poll waits for them. Listeners are beans, taken in their order when the monitor
 * starts.
 */
@FunctionalInterface
public interface ClusterListener {

	/**
	 * Slots moved to a new master.
	 * @param event the move
	 */
	void onShardFailover(ShardFailoverEvent event);

}
