package dev.haredis.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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
 * @param replication each shard's replicas with their lag, as its master last reported them in
 * {@code INFO replication}, by master; a shard whose master was not asked yet, or did not answer, has none
 */
public record ClusterSnapshot(@Nullable ClusterView view, Set<NodeAddress> unreachable,
		Map<NodeAddress, ShardFailoverEvent> lastFailovers, long failovers, @Nullable Instant updatedAt,
		Map<NodeAddress, List<Replica>> replication) {

	/** Before the first answer. */
	static final ClusterSnapshot EMPTY = new ClusterSnapshot(null, Set.of(), Map.of(), 0, null, Map.of());

	public ClusterSnapshot {
		unreachable = Set.copyOf(unreachable);
		lastFailovers = Map.copyOf(lastFailovers);
		replication = replication.entrySet()
			.stream()
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, (entry) -> List.copyOf(entry.getValue())));
	}

	/**
	 * Return a shard's replicas, with their lag when its master reported it.
	 * @param shard one of the shards
	 * @return the replicas its master reported, else those {@code CLUSTER NODES} lists, without lag
	 */
	public List<Replica> replicasOf(ClusterView.Shard shard) {
		List<Replica> reported = this.replication.get(shard.master());
		return (reported != null) ? reported : shard.replicas().stream().map(Replica::of).toList();
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

	/**
	 * A shard's replica, with what its master last reported of it in {@code INFO replication}.
	 *
	 * @param address as {@code CLUSTER NODES} lists it, or, when it does not, as its master sees it
	 * @param masterSeesAs the address its master sees, when another (NAT, Docker, an announced hostname)
	 * @param state {@code online}, or a full sync's {@code wait_bgsave} or {@code send_bulk}; {@code null} when
	 * its master did not report it
	 * @param lagBytes the bytes of its master's replication stream it has not acknowledged, {@code null} when not
	 * reported
	 * @param listed whether {@code CLUSTER NODES} lists it as a replica of the shard's master
	 */
	public record Replica(NodeAddress address, @Nullable NodeAddress masterSeesAs, @Nullable String state,
			@Nullable Long lagBytes, boolean listed) {

		/** A listed replica its master did not report (not asked yet, or not connected to it). */
		static Replica of(NodeAddress address) {
			return new Replica(address, null, null, null, true);
		}

	}

}
