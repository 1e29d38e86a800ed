package dev.haredis.cluster;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.haredis.topology.NodeAddress;

/**
 * What the {@link ClusterMonitor} tells of the cluster without a round trip: the {@link ClusterSnapshot} (the core's
 * view, unreachable nodes and replication, with the last failover of each shard, how many there were, and when a
 * node last answered), and why each node last failed to answer. Written on the monitor thread only.
 */
final class ClusterSnapshotKeeper {

	private final List<NodeAddress> seeds;

	// Touched on the monitor thread only.
	private final Map<NodeAddress, ShardFailoverEvent> lastFailovers = new LinkedHashMap<>();

	private long failovers;

	private @Nullable Instant updatedAt;

	// Written on the monitor thread, read on any: the start-up report and the snapshot's readers.
	private final Map<NodeAddress, String> lastFailures = new ConcurrentHashMap<>();

	private volatile ClusterSnapshot snapshot = ClusterSnapshot.EMPTY;

	/**
	 * Keep the snapshot of a monitor.
	 * @param seeds the seeds, whose failures {@link #failures()} tells
	 */
	ClusterSnapshotKeeper(List<NodeAddress> seeds) {
		this.seeds = List.copyOf(seeds);
	}

	/**
	 * A node did not answer, or not readably.
	 * @param node the node asked
	 * @param why the failure, described
	 */
	void failed(NodeAddress node, String why) {
		this.lastFailures.put(node, why);
	}

	/**
	 * A node answered {@code CLUSTER NODES}.
	 * @param node the node
	 * @param at when
	 */
	void answered(NodeAddress node, Instant at) {
		this.lastFailures.remove(node);
		this.updatedAt = at;
	}

	/**
	 * Slots moved: the event is its shard's last failover, under the shard's new master.
	 * @param event the move
	 */
	void failedOver(ShardFailoverEvent event) {
		this.lastFailovers.remove(event.from());
		this.lastFailovers.put(event.to(), event);
		this.failovers++;
	}

	/**
	 * Take a new snapshot, for the readers on any thread.
	 * @param core the core, for its view, unreachable nodes and replication
	 */
	void refresh(ClusterCore core) {
		this.snapshot = new ClusterSnapshot(core.view(), core.unreachable(), this.lastFailovers, this.failovers,
				this.updatedAt, core.replication());
	}

	/** The latest snapshot; from any thread. */
	ClusterSnapshot snapshot() {
		return this.snapshot;
	}

	/** Why each seed did not answer; from any thread. */
	List<String> failures() {
		return this.seeds.stream()
			.map((seed) -> seed + ": " + this.lastFailures.getOrDefault(seed, "no answer yet"))
			.toList();
	}

}
