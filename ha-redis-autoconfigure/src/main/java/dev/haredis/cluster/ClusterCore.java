package dev.haredis.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
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
 * It polls one node at a time ({@link PollTargets} chooses which): every refresh interval, and every fast interval
 * while a master that serves slots is unreachable or flagged failing (a failover may be coming). A poll slower than
 * the fast interval is given up for another node (a frozen node would hold it for its whole timeout). A failed poll,
 * a redirection to a master it does not know or a lost connection asks another node at once, one poll after the
 * other and never when no node is left to ask, so never a storm. Of two answers that give a slot to different
 * masters, the higher config epoch wins, as in Redis itself, so a node with a stale view never moves slots back.
 * When slots change masters it publishes a {@link ShardFailoverEvent} per move and reloads the client's slot map,
 * one reload at a time (one more after it when slots moved meanwhile). On each refresh tick while no failover may
 * be coming, it also asks one master in turn for {@code INFO replication}, for its replicas' lag ({@link ReplicaLags}).
 */
final class ClusterCore {

	private final Duration refreshInterval;

	private final Duration fastInterval;

	private final PollTargets targets;

	private final ReplicaLags lags = new ReplicaLags();

	private @Nullable ClusterView known;

	private boolean pollWanted;

	private Instant nextPoll = Instant.MIN;

	private boolean reloading;

	private boolean reloadAgain;

	/** The poll whose outcome answers the clients waiting for a fresh view; 0 when none waits. */
	private long answersWaiters;

	ClusterCore(List<NodeAddress> seeds, Duration refreshInterval, Duration fastInterval) {
		if (seeds.isEmpty()) {
			throw new IllegalArgumentException("A cluster monitor needs at least one seed node");
		}
		this.targets = new PollTargets(seeds);
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
		boolean late = this.targets.isLate(from);
		long number = this.targets.answered(from, view.nodes());
		ClusterView before = this.known;
		ClusterView merged = (before != null) ? ClusterViews.newer(before, view) : view;
		this.known = merged;
		this.targets.forgetRemoved(merged);
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
		if (!late) {
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
		if (this.targets.failed(from)) {
			// A given-up poll: the one that replaced it goes on.
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
		if (this.targets.giveUp(node)) {
			askAnother(now, decisions);
		}
		return decisions;
	}

	/**
	 * The poll in flight is over without an answer: ask another node at once while one is left to ask; when none
	 * is, wait the fast interval (never a tight loop), and the waiting clients keep the slot map they have.
	 */
	private void askAnother(Instant now, List<ClusterDecision> decisions) {
		this.pollWanted = this.targets.anyLeftToAsk(this.known);
		next(now, decisions);
		answerWaitersIfNobodyIsAsked(decisions);
	}

	/**
	 * When no poll is in flight and no given-up poll may still answer, the waiting clients keep the slot map they
	 * have.
	 */
	private void answerWaitersIfNobodyIsAsked(List<ClusterDecision> decisions) {
		if (this.answersWaiters != 0 && this.targets.nobodyIsAsked()) {
			this.answersWaiters = 0;
			decisions.add(new ClusterDecision.AnswerWaiters(null));
		}
	}

	/**
	 * The client wants a fresh view (Lettuce's adaptive refresh: a redirection, an uncovered slot, an unknown node,
	 * reconnects): it is answered by the outcome of a poll that starts from now on, never by one already in flight.
	 */
	List<ClusterDecision> refreshWanted(Instant now) {
		this.answersWaiters = this.targets.polls() + 1;
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
		if (!this.targets.isPolling() && !now.isBefore(this.nextPoll)) {
			// The unreachable in turn too: one that answers again is reachable again.
			poll(decisions, true);
			if (!this.targets.isPolling()) {
				this.nextPoll = now.plus(this.fastInterval);
			}
			// Never while a failover may be coming: the fast polls come first.
			NodeAddress master = (this.known != null && !this.targets.urgent(this.known))
					? this.lags.next(this.known) : null;
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
		return this.targets.nodes();
	}

	boolean isPolling() {
		return this.targets.isPolling();
	}

	Instant nextPoll() {
		return this.nextPoll;
	}

	Set<NodeAddress> unreachable() {
		return this.targets.unreachable();
	}

	Map<NodeAddress, List<ClusterSnapshot.Replica>> replication() {
		Set<NodeAddress> down = new HashSet<>(this.targets.unreachable());
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
		if (this.targets.isPolling()) {
			return;
		}
		if (this.pollWanted) {
			this.pollWanted = false;
			poll(decisions, false);
			if (this.targets.isPolling()) {
				return;
			}
		}
		this.nextPoll = now.plus(this.targets.urgent(this.known) ? this.fastInterval : this.refreshInterval);
	}

	/**
	 * Ask the node {@link PollTargets} chooses, if any: none while every node has a poll out.
	 */
	private void poll(List<ClusterDecision> decisions, boolean scheduled) {
		NodeAddress node = this.targets.ask(this.known, scheduled);
		if (node != null) {
			decisions.add(new ClusterDecision.Poll(node));
		}
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
