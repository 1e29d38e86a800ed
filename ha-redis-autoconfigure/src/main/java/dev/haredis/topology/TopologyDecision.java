package dev.haredis.topology;

import org.jspecify.annotations.Nullable;

/**
 * What the {@link TopologyCore} decided, for the {@link SentinelTopology} to carry out, in order. A decision names
 * the I/O to do; the answer comes back to the core as another input.
 */
sealed interface TopologyDecision {

	/**
	 * Tell the listeners: a {@link MasterSwitchedEvent} (the connection layer closes the old master's connections),
	 * a sentinel event, a lost or regained sentinel, a degraded or recovered topology.
	 *
	 * @param event the event
	 */
	record Publish(TopologyEvent event) implements TopologyDecision {
	}

	/**
	 * Check with the sentinels now, rather than at the next refresh.
	 *
	 * @param reason why, for the log
	 */
	record Reconcile(String reason) implements TopologyDecision {
	}

	/**
	 * Check the role of the node a sentinel announced as the new master; switch to it if it answers as master.
	 *
	 * @param node the node announced
	 * @param announcement the {@code +switch-master} event
	 */
	record CheckRoleThenSwitch(NodeAddress node, SentinelEvent announcement) implements TopologyDecision {
	}

	/**
	 * Poll the role of the replica a sentinel is promoting, until it answers as master.
	 *
	 * @param candidate the replica
	 * @param sentinel the sentinel promoting it
	 */
	record WatchPromotion(NodeAddress candidate, NodeAddress sentinel) implements TopologyDecision {
	}

	/**
	 * Stop polling the replica being promoted.
	 */
	record StopWatchingPromotion() implements TopologyDecision {
	}

	/**
	 * Follow a sentinel: subscribe to its events and ask it at every check.
	 *
	 * @param sentinel its reachable address
	 * @param learned whether it was learned from the others rather than configured
	 * @param announcedId the id the others announced it with, if any
	 */
	record Follow(NodeAddress sentinel, boolean learned, @Nullable String announcedId) implements TopologyDecision {
	}

	/**
	 * Stop following a sentinel.
	 *
	 * @param sentinel its address, as followed
	 */
	record Forget(NodeAddress sentinel) implements TopologyDecision {
	}

}
