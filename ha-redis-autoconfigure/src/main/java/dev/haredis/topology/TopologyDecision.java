package dev.haredis.topology;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What the {@link TopologyCore} decided, for the {@link SentinelTopology} shell to carry out, in order, on the
 * topology thread. A decision names the I/O to do; its answer comes back to the core as another input.
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
	 * A check with the sentinels is wanted; it starts at once with an {@link AskSentinels}, or after the one under
	 * way. Says why, for the log; there is nothing to carry out.
	 *
	 * @param reason why
	 */
	record Reconcile(String reason) implements TopologyDecision {
	}

	/**
	 * Ask the sentinels of a check what they know of the master; their answers come back as
	 * {@link TopologyCore#sentinelsAnswered}.
	 *
	 * @param round the check
	 * @param request what to ask
	 */
	record AskSentinels(long round, SentinelCheck.Request request) implements TopologyDecision {
	}

	/**
	 * Ask a data node its role for a check under way; the answer comes back as {@link TopologyCore#roleAnswered}.
	 *
	 * @param round the check it belongs to
	 * @param node the node
	 */
	record CheckRole(long round, NodeAddress node) implements TopologyDecision {
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
	 * Watch the replica a sentinel is promoting: open a connection to it for the polls that follow.
	 *
	 * @param candidate the replica
	 * @param sentinel the sentinel promoting it
	 */
	record WatchPromotion(NodeAddress candidate, NodeAddress sentinel) implements TopologyDecision {
	}

	/**
	 * Poll the role of the replica being promoted; the answer comes back as {@link TopologyCore#promotionPolled}.
	 *
	 * @param watch the watch it belongs to
	 * @param after how long to wait before polling
	 * @param timeout how long the poll may take
	 */
	record PollPromotion(WatchPromotion watch, Duration after, Duration timeout) implements TopologyDecision {
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

	/**
	 * Find the master the way the sentinel client rules describe (ask the sentinels in turn, verify with
	 * {@code ROLE}); the outcome comes back as {@link TopologyCore#discovered}.
	 */
	record Discover() implements TopologyDecision {
	}

	/**
	 * Answer the callers waiting for the master (connections being opened): with the master, or with the failure.
	 *
	 * @param master the master to connect to
	 * @param failure why there is none
	 */
	record AnswerWaiters(@Nullable NodeAddress master, @Nullable MasterDiscoveryException failure)
			implements TopologyDecision {
	}

	/**
	 * Start-up is over: the first discovery (and, when monitoring, the first check) answered.
	 */
	record Started() implements TopologyDecision {
	}

	/**
	 * Start-up fails: no master was found and {@code ha.redis.fail-fast} is on.
	 *
	 * @param failure what each sentinel answered
	 */
	record FailStart(MasterDiscoveryException failure) implements TopologyDecision {
	}

}
