package dev.haredis.cluster;

import org.jspecify.annotations.Nullable;

import dev.haredis.topology.NodeAddress;

/**
 * What the {@link ClusterCore} decided, for its shell to carry out in order on the monitor's thread.
 */
sealed interface ClusterDecision {

	/**
	 * Ask a node for {@code CLUSTER NODES}; the answer comes back as {@link ClusterCore#answered} or
	 * {@link ClusterCore#failed}.
	 *
	 * @param node the node to ask
	 */
	record Poll(NodeAddress node) implements ClusterDecision {
	}

	/**
	 * Ask a master for {@code INFO replication}, for its replicas' lag; the answer, or {@code null} when it failed,
	 * comes back as {@link ClusterCore#replicationAnswered}.
	 *
	 * @param master the master to ask
	 */
	record AskReplication(NodeAddress master) implements ClusterDecision {
	}

	/**
	 * Reload the client's slot map from the cluster (Lettuce's partitions); its end comes back as
	 * {@link ClusterCore#reloaded}.
	 */
	record ReloadSlots() implements ClusterDecision {
	}

	/**
	 * Tell the listeners.
	 *
	 * @param event the event
	 */
	record Publish(ShardFailoverEvent event) implements ClusterDecision {
	}

	/**
	 * Answer the clients waiting for a fresh view ({@link ClusterCore#refreshWanted}).
	 *
	 * @param view the merged view, or {@code null} when no node could be asked
	 */
	record AnswerWaiters(@Nullable ClusterView view) implements ClusterDecision {
	}

}
