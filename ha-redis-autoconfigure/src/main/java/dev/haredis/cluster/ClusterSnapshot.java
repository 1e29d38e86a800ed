package dev.haredis.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.TopologyHealth;

/**
 * The {@link ClusterMonitor}'s latest picture of the cluster, for health and metrics without a round trip.
 *
 * @param view the merged view, or {@code null} before any node answered
 * @param unreachable the nodes that did not answer the monitor's last question to them
 * @param lastFailovers the last failover of each shard, by its current master
 * @param failovers how many slot moves the monitor followed since it started
 * @param updatedAt when a node last answered, or {@code null} before any did
 */
public record ClusterSnapshot(@Nullable ClusterView view, Set<NodeAddress> unreachable,
		Map<NodeAddress, ShardFailoverEvent> lastFailovers, long failovers, @Nullable Instant updatedAt) {

	/** Before the first answer. */
	static final ClusterSnapshot EMPTY = new ClusterSnapshot(null, Set.of(), Map.of(), 0, null);

	public ClusterSnapshot {
		unreachable = Set.copyOf(unreachable);
		lastFailovers = Map.copyOf(lastFailovers);
	}

	/**
	 * Return how many slots a master serves.
	 * @return the number of slots assigned, 16384 when all are
	 */
	public int slotsAssigned() {
		return (this.view != null) ? this.view.slotsServed() : 0;
	}

	/**
	 * Return how many slots are served by a master that the cluster flags failing ({@code fail?} or {@code fail}) or
	 * that this application cannot reach: commands to them fail until its replica is promoted.
	 * @return the number of failing slots
	 */
	public int slotsFailing() {
		if (this.view == null) {
			return 0;
		}
		return this.view.shards()
			.stream()
			.filter((shard) -> isDown(shard.master()))
			.mapToInt(ClusterView.Shard::slotCount)
			.sum();
	}

	/**
	 * Return the verdict: {@code DOWN} when a slot has no master or a failing one, {@code DEGRADED} when writes work
	 * but the next fault could not be survived as it should (a shard without a replica, a node unreachable or
	 * flagged failing), {@code UP} otherwise.
	 * @return the health
	 */
	public TopologyHealth health() {
		ClusterView known = this.view;
		if (known == null || slotsAssigned() < ClusterView.SLOTS || slotsFailing() > 0) {
			return TopologyHealth.DOWN;
		}
		boolean shardWithoutReplica = known.shards()
			.stream()
			.anyMatch((shard) -> shard.replicas().stream().allMatch(this::isDown));
		if (shardWithoutReplica || !this.unreachable.isEmpty() || !known.failing().isEmpty()) {
			return TopologyHealth.DEGRADED;
		}
		return TopologyHealth.UP;
	}

	/**
	 * Return the nodes the cluster flags failing.
	 * @return the failing nodes
	 */
	public Set<NodeAddress> failing() {
		return (this.view != null) ? this.view.failing() : Set.of();
	}

	/**
	 * Return the shards, in slot order.
	 * @return the shards, empty before any node answered
	 */
	public List<ClusterView.Shard> shards() {
		return (this.view != null) ? this.view.shards() : List.of();
	}

	private boolean isDown(NodeAddress node) {
		return (this.view != null && this.view.failing().contains(node)) || this.unreachable.contains(node);
	}

}
