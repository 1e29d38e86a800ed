package dev.haredis.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.haredis.topology.NodeAddress;

/**
 * Which node the {@link ClusterCore} asks {@code CLUSTER NODES} next, and which it is asking: one node at a time,
 * every node it knows in turn, but the replicas of a master the cluster flags failing first, one of which will be
 * promoted and knows it first. It keeps the nodes unreachable from here, the one poll in flight and the polls given up
 * on whose answer may still come, late. Part of the core: plain values in and out, fed by one thread.
 */
final class PollTargets {

	private final List<NodeAddress> seeds;

	private final Set<NodeAddress> nodes = new LinkedHashSet<>();

	private final Set<NodeAddress> unreachable = new HashSet<>();

	/**
	 * Nodes whose poll took too long and was given up on, with that poll's number: their answer may still come,
	 * late. Such a node is not asked again until it comes, so one node has one poll out at most.
	 */
	private final Map<NodeAddress, Long> abandoned = new HashMap<>();

	private @Nullable NodeAddress polling;

	private int cursor;

	/** How many polls were asked for so far; the one in flight, if any, is the last. */
	private long polls;

	/**
	 * Start from the seeds, which are never forgotten.
	 * @param seeds the seed nodes, at least one
	 */
	PollTargets(List<NodeAddress> seeds) {
		this.seeds = List.copyOf(seeds);
		this.nodes.addAll(seeds);
	}

	/**
	 * Whether a node's answer is late: its poll was given up on, and another went on meanwhile.
	 * @param from the node that answered
	 * @return whether it answers a given-up poll
	 */
	boolean isLate(NodeAddress from) {
		return this.abandoned.containsKey(from);
	}

	/**
	 * A node answered: it is reachable, and the nodes it lists are known.
	 * @param from the node that answered
	 * @param listed the nodes its answer lists
	 * @return the number of the poll it answers: a given-up one's, else the one in flight's, which is over
	 */
	long answered(NodeAddress from, Set<NodeAddress> listed) {
		Long lateNumber = this.abandoned.remove(from);
		if (lateNumber == null) {
			this.polling = null;
		}
		this.unreachable.remove(from);
		this.nodes.addAll(listed);
		return (lateNumber != null) ? lateNumber : this.polls;
	}

	/**
	 * A poll failed: the node is unreachable until it answers again.
	 * @param from the node asked
	 * @return whether it was a given-up poll, in which case the one in flight, if any, goes on
	 */
	boolean failed(NodeAddress from) {
		this.unreachable.add(from);
		if (this.abandoned.remove(from) != null) {
			return true;
		}
		this.polling = null;
		return false;
	}

	/**
	 * Give up on the poll in flight, which took too long: the node is not asked again until its answer comes, which
	 * still counts, or its poll fails.
	 * @param node the node asked
	 * @return whether it was the poll in flight (an outcome may have overtaken the timer)
	 */
	boolean giveUp(NodeAddress node) {
		if (!node.equals(this.polling)) {
			return false;
		}
		this.abandoned.put(node, this.polls);
		this.polling = null;
		return true;
	}

	/**
	 * Forget the nodes the cluster no longer lists (removed, or back under another address), but the seeds and the
	 * nodes with a poll out: they would be asked in turn, and counted unreachable, forever.
	 * @param view the merged view
	 */
	void forgetRemoved(ClusterView view) {
		Set<NodeAddress> listed = new HashSet<>(this.seeds);
		listed.addAll(view.nodes());
		listed.addAll(view.failing());
		listed.addAll(this.abandoned.keySet());
		if (this.polling != null) {
			listed.add(this.polling);
		}
		this.nodes.retainAll(listed);
		this.unreachable.retainAll(listed);
	}

	/**
	 * Ask the next node in turn among the {@link #candidates candidates}, or among all nodes when none is left; the
	 * replicas of a failing master first.
	 * @param view the known view, or {@code null} before the first answer
	 * @param unreachableToo whether the nodes unreachable from here are asked too (on the schedule)
	 * @return the node to poll, now the poll in flight, or {@code null} when every node has a poll out
	 */
	@Nullable NodeAddress ask(@Nullable ClusterView view, boolean unreachableToo) {
		List<NodeAddress> candidates = candidates(view, unreachableToo);
		if (candidates.isEmpty()) {
			// Every node is unreachable or failing: ask one anyway, but never one whose poll is still out.
			candidates = new ArrayList<>(this.nodes);
			candidates.removeAll(this.abandoned.keySet());
			if (candidates.isEmpty()) {
				return null;
			}
		}
		List<NodeAddress> heirs = heirs(view);
		heirs.retainAll(candidates);
		if (!heirs.isEmpty()) {
			// A promoted replica knows of its promotion first: while its master fails, ask it (and its siblings).
			candidates = heirs;
		}
		NodeAddress node = candidates.get(Math.floorMod(this.cursor++, candidates.size()));
		this.polling = node;
		this.polls++;
		return node;
	}

	/**
	 * Whether a node is left to ask at once: one not unreachable, failing or with a poll out.
	 * @param view the known view, or {@code null}
	 * @return whether there is one
	 */
	boolean anyLeftToAsk(@Nullable ClusterView view) {
		return !candidates(view, false).isEmpty();
	}

	/**
	 * Whether a failover may be coming: a master that serves slots is unreachable or flagged failing (a dead
	 * replica, or an old master that lost its slots, is not worth polling fast for).
	 * @param view the known view, or {@code null} before the first answer
	 * @return whether to poll fast
	 */
	boolean urgent(@Nullable ClusterView view) {
		if (view == null) {
			return !this.unreachable.isEmpty();
		}
		return view.shards()
			.stream()
			.anyMatch((shard) -> this.unreachable.contains(shard.master()) || view.failing().contains(shard.master()));
	}

	/** Whether a poll is in flight. */
	boolean isPolling() {
		return this.polling != null;
	}

	/** Whether nobody is asked: no poll in flight, and no given-up poll that may still answer. */
	boolean nobodyIsAsked() {
		return this.polling == null && this.abandoned.isEmpty();
	}

	/** How many polls were asked for so far. */
	long polls() {
		return this.polls;
	}

	Set<NodeAddress> nodes() {
		return Set.copyOf(this.nodes);
	}

	Set<NodeAddress> unreachable() {
		return Set.copyOf(this.unreachable);
	}

	/**
	 * The nodes worth asking: not flagged failing by the cluster (a frozen node would hold the poll for its whole
	 * timeout), and not unreachable from here unless they are asked again on the schedule.
	 */
	private List<NodeAddress> candidates(@Nullable ClusterView view, boolean unreachableToo) {
		List<NodeAddress> candidates = new ArrayList<>(this.nodes);
		candidates.removeAll(this.abandoned.keySet());
		if (!unreachableToo) {
			candidates.removeAll(this.unreachable);
		}
		if (view != null) {
			candidates.removeAll(view.failing());
		}
		return candidates;
	}

	/**
	 * The replicas of the masters that serve slots and that the cluster flags failing: one of them will be promoted.
	 * A master only this application cannot reach is not enough: it is asked again in turn, and answers once the
	 * way to it is back.
	 */
	private List<NodeAddress> heirs(@Nullable ClusterView view) {
		List<NodeAddress> heirs = new ArrayList<>();
		if (view != null) {
			view.shards()
				.stream()
				.filter((shard) -> view.failing().contains(shard.master()))
				.forEach((shard) -> heirs.addAll(shard.replicas()));
		}
		return heirs;
	}

}
