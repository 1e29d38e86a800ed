package dev.haredis.cluster;

import java.time.Duration;
import java.time.Instant;
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
 * Every decision of the cluster monitor, without I/O and without a clock: inputs (start, a node's answer to
 * {@code CLUSTER NODES} or its failure, a {@code MOVED} redirection, a lost connection, the end of a slot-map
 * reload, the tick) come in with their time, and out come {@link ClusterDecision}s for the shell to carry out. One
 * thread feeds it.
 * <p>
 * It polls one node at a time, every node in turn: every refresh interval, and every fast interval while a master
 * that serves slots is unreachable or flagged failing (a failover may be coming), asking the replicas of a master
 * the cluster flags failing, one of which will be promoted and knows it first. A poll slower than the fast interval is given up for
 * another node (a frozen node would hold it for its whole timeout). A failed poll, a redirection to a
 * master it does not know or a lost connection asks another node at once, one poll after the other and never when
 * no node is left to ask, so never a storm. Of two answers that give a slot to different
 * masters, the higher config epoch wins, as in Redis itself, so a node with a stale view never moves slots back.
 * When slots change masters it publishes a {@link ShardFailoverEvent} per move and reloads the client's slot map,
 * one reload at a time (one more after it when slots moved meanwhile). On each refresh tick while no failover may
 * be coming, it also asks one master in turn for {@code INFO replication}, for its replicas' lag ({@link ReplicaLags}).
 */
final class ClusterCore {

	private final Duration refreshInterval;

	private final Duration fastInterval;

	private final List<NodeAddress> seeds;

	private final Set<NodeAddress> nodes = new LinkedHashSet<>();

	private final Set<NodeAddress> unreachable = new HashSet<>();

	/**
	 * Nodes whose poll took too long and was given up on, with that poll's number: their answer may still come,
	 * late. Such a node is not asked again until it comes, so one node has one poll out at most.
	 */
	private final Map<NodeAddress, Long> abandoned = new HashMap<>();

	private final ReplicaLags lags = new ReplicaLags();

	private @Nullable ClusterView known;

	private @Nullable NodeAddress polling;

	private boolean pollWanted;

	private Instant nextPoll = Instant.MIN;

	private int cursor;

	private boolean reloading;

	private boolean reloadAgain;

	/** How many polls were asked for so far; the one in flight, if any, is the last. */
	private long polls;

	/** The poll whose outcome answers the clients waiting for a fresh view; 0 when none waits. */
	private long answersWaiters;

	ClusterCore(List<NodeAddress> seeds, Duration refreshInterval, Duration fastInterval) {
		if (seeds.isEmpty()) {
			throw new IllegalArgumentException("A cluster monitor needs at least one seed node");
		}
		this.seeds = List.copyOf(seeds);
		this.nodes.addAll(seeds);
		this.refreshInterval = refreshInterval;
		this.fastInterval = fastInterval;
	}

	/**
	 * Start: the first poll's outcome answers whoever waits for the first view.
	 */
	List<ClusterDecision> start() {
		List<ClusterDecision> decisions = new ArrayList<>();
		this.answersWaiters = 1;
		this.lags.restart();
		poll(decisions, false);
		return decisions;
	}

	/**
	 * A node answered {@code CLUSTER NODES}.
	 */
	List<ClusterDecision> answered(NodeAddress from, ClusterView view, Instant now) {
		List<ClusterDecision> decisions = new ArrayList<>();
		Long lateNumber = this.abandoned.remove(from);
		long number = (lateNumber != null) ? lateNumber : this.polls;
		if (lateNumber == null) {
			this.polling = null;
		}
		this.unreachable.remove(from);
		this.nodes.addAll(view.nodes());
		ClusterView before = this.known;
		ClusterView merged = (before != null) ? ClusterViews.newer(before, view) : view;
		this.known = merged;
		forgetRemovedNodes(merged);
		this.lags.retain(merged);
		List<ShardFailoverEvent> moves = (before != null) ? ClusterViews.moves(before, merged, from, now) : List.of();
		// The slot map first, then the waiting clients, then the listeners: a listener may use Redis at once.
		if (!moves.isEmpty() || (before != null && !before.failing().equals(merged.failing()))) {
			reload(decisions);
		}
		if (this.answersWaiters != 0 && number >= this.answersWaiters) {
			this.answersWaiters = 0;
			decisions.add(new ClusterDecision.AnswerWaiters(merged));
		}
		moves.forEach((move) -> decisions.add(new ClusterDecision.Publish(move)));
		if (lateNumber == null) {
			next(now, decisions);
		}
		// A late answer counts as any other; the poll that replaced it goes on.
		return decisions;
	}

	/**
	 * A poll failed: the node is unreachable until it answers again; another is asked at once.
	 */
	List<ClusterDecision> failed(NodeAddress from, Instant now) {
		List<ClusterDecision> decisions = new ArrayList<>();
		this.unreachable.add(from);
		if (this.abandoned.remove(from) != null) {
			answerWaitersIfNobodyIsAsked(decisions);
			return decisions;
		}
		askAnother(now, decisions);
		return decisions;
	}

	/**
	 * A poll has taken longer than the fast interval: the node may be frozen or cut off, and could hold the monitor
	 * blind for the whole poll timeout, perhaps while a replica is promoted. Another node is asked at once; this one
	 * is not asked again until its answer comes, which still counts, or its poll fails, which makes it unreachable.
	 * Slow is no proof of down (a first connection on a busy machine), so health does not count it unreachable.
	 */
	List<ClusterDecision> slow(NodeAddress node, Instant now) {
		List<ClusterDecision> decisions = new ArrayList<>();
		if (!node.equals(this.polling)) {
			return decisions;
		}
		this.abandoned.put(node, this.polls);
		askAnother(now, decisions);
		return decisions;
	}

	/**
	 * The poll in flight is over without an answer: ask another node at once while one is left to ask; when none
	 * is, wait the fast interval (never a tight loop), and the waiting clients keep the slot map they have.
	 */
	private void askAnother(Instant now, List<ClusterDecision> decisions) {
		this.polling = null;
		this.pollWanted = !candidates(false).isEmpty();
		next(now, decisions);
		answerWaitersIfNobodyIsAsked(decisions);
	}

	/**
	 * When no poll is in flight and no given-up poll may still answer, the waiting clients keep the slot map they
	 * have.
	 */
	private void answerWaitersIfNobodyIsAsked(List<ClusterDecision> decisions) {
		if (this.answersWaiters != 0 && this.polling == null && this.abandoned.isEmpty()) {
			this.answersWaiters = 0;
			decisions.add(new ClusterDecision.AnswerWaiters(null));
		}
	}

	/**
	 * Forget the nodes the cluster no longer lists (removed, or back under another address), but the seeds and the
	 * nodes with a poll out: they would be asked in turn, and counted unreachable, forever.
	 */
	private void forgetRemovedNodes(ClusterView view) {
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
	 * The client wants a fresh view (Lettuce's adaptive refresh: a redirection, an uncovered slot, an unknown node,
	 * reconnects): it is answered by the outcome of a poll that starts from now on, never by one already in flight.
	 */
	List<ClusterDecision> refreshWanted(Instant now) {
		this.answersWaiters = this.polls + 1;
		return pollSoon(now);
	}

	/**
	 * A command was redirected ({@code MOVED}): poll at once unless the known view already has that master.
	 */
	List<ClusterDecision> redirected(int slot, NodeAddress to, Instant now) {
		ClusterView.Shard shard = (this.known != null) ? this.known.shardOf(slot) : null;
		if (shard != null && shard.master().equals(to)) {
			return List.of();
		}
		return pollSoon(now);
	}

	/**
	 * A connection to a node was lost: it may have failed, ask another.
	 */
	List<ClusterDecision> connectionLost(NodeAddress node, Instant now) {
		return pollSoon(now);
	}

	/**
	 * The client's slot map was reloaded.
	 */
	List<ClusterDecision> reloaded(Instant now) {
		List<ClusterDecision> decisions = new ArrayList<>();
		this.reloading = false;
		if (this.reloadAgain) {
			this.reloadAgain = false;
			reload(decisions);
		}
		return decisions;
	}

	/**
	 * Time passed: poll when it is due.
	 */
	List<ClusterDecision> tick(Instant now) {
		List<ClusterDecision> decisions = new ArrayList<>();
		if (this.polling == null && !now.isBefore(this.nextPoll)) {
			// The unreachable in turn too: one that answers again is reachable again.
			poll(decisions, true);
			if (this.polling == null) {
				this.nextPoll = now.plus(this.fastInterval);
			}
			// Never while a failover may be coming: the fast polls come first.
			NodeAddress master = (this.known != null && !urgent()) ? this.lags.next(this.known) : null;
			if (master != null) {
				decisions.add(new ClusterDecision.AskReplication(master));
			}
		}
		return decisions;
	}

	/**
	 * A master answered {@code INFO replication}, or failed to ({@code null}).
	 */
	void replicationAnswered(NodeAddress master, @Nullable ReplicationInfo info) {
		this.lags.answered(master, info, this.known);
	}

	@Nullable ClusterView view() {
		return this.known;
	}

	Set<NodeAddress> nodes() {
		return Set.copyOf(this.nodes);
	}

	boolean isPolling() {
		return this.polling != null;
	}

	Instant nextPoll() {
		return this.nextPoll;
	}

	Set<NodeAddress> unreachable() {
		return Set.copyOf(this.unreachable);
	}

	Map<NodeAddress, List<ClusterSnapshot.Replica>> replication() {
		Set<NodeAddress> down = new HashSet<>(this.unreachable);
		down.addAll((this.known != null) ? this.known.failing() : Set.of());
		return this.lags.replicas(this.known, down);
	}

	private List<ClusterDecision> pollSoon(Instant now) {
		List<ClusterDecision> decisions = new ArrayList<>();
		this.pollWanted = true;
		next(now, decisions);
		return decisions;
	}

	/**
	 * After an answer or a failure, poll again at once when wanted, else at the next due time.
	 */
	private void next(Instant now, List<ClusterDecision> decisions) {
		if (this.polling != null) {
			return;
		}
		if (this.pollWanted) {
			this.pollWanted = false;
			poll(decisions, false);
			if (this.polling != null) {
				return;
			}
		}
		this.nextPoll = now.plus(urgent() ? this.fastInterval : this.refreshInterval);
	}

	/**
	 * Whether a failover may be coming: a master that serves slots is unreachable or flagged failing (a dead
	 * replica, or an old master that lost its slots, is not worth polling fast for).
	 */
	private boolean urgent() {
		ClusterView view = this.known;
		if (view == null) {
			return !this.unreachable.isEmpty();
		}
		return view.shards()
			.stream()
			.anyMatch((shard) -> this.unreachable.contains(shard.master()) || view.failing().contains(shard.master()));
	}

	/**
	 * The nodes worth asking: not flagged failing by the cluster (a frozen node would hold the poll for its whole
	 * timeout), and not unreachable from here unless they are asked again on the schedule.
	 */
	private List<NodeAddress> candidates(boolean unreachableToo) {
		List<NodeAddress> candidates = new ArrayList<>(this.nodes);
		candidates.removeAll(this.abandoned.keySet());
		if (!unreachableToo) {
			candidates.removeAll(this.unreachable);
		}
		if (this.known != null) {
			candidates.removeAll(this.known.failing());
		}
		return candidates;
	}

	/**
	 * Ask the next node in turn among the {@link #candidates(boolean) candidates}, or among all nodes when none is
	 * left.
	 */
	private void poll(List<ClusterDecision> decisions, boolean scheduled) {
		List<NodeAddress> candidates = candidates(scheduled);
		if (candidates.isEmpty()) {
			// Every node is unreachable or failing: ask one anyway, but never one whose poll is still out.
			candidates = new ArrayList<>(this.nodes);
			candidates.removeAll(this.abandoned.keySet());
			if (candidates.isEmpty()) {
				return;
			}
		}
		List<NodeAddress> heirs = heirs();
		heirs.retainAll(candidates);
		if (!heirs.isEmpty()) {
			// A promoted replica knows of its promotion first: while its master fails, ask it (and its siblings).
			candidates = heirs;
		}
		NodeAddress node = candidates.get(Math.floorMod(this.cursor++, candidates.size()));
		this.polling = node;
		this.polls++;
		decisions.add(new ClusterDecision.Poll(node));
	}

	/**
	 * The replicas of the masters that serve slots and that the cluster flags failing: one of them will be promoted.
	 * A master only this application cannot reach is not enough: it is asked again in turn, and answers once the
	 * way to it is back.
	 */
	private List<NodeAddress> heirs() {
		List<NodeAddress> heirs = new ArrayList<>();
		ClusterView view = this.known;
		if (view != null) {
			view.shards()
				.stream()
				.filter((shard) -> view.failing().contains(shard.master()))
				.forEach((shard) -> heirs.addAll(shard.replicas()));
		}
		return heirs;
	}

	private void reload(List<ClusterDecision> decisions) {
		if (this.reloading) {
			this.reloadAgain = true;
			return;
		}
		this.reloading = true;
		decisions.add(new ClusterDecision.ReloadSlots());
	}

}
