package dev.haredis.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.internal.RedisErrors;
import dev.haredis.topology.NodeAddress;

/**
 * The part of the {@link ClusterMonitor} shell that lives on the monitor thread: it feeds the {@link ClusterCore},
 * carries out its decisions in order (polls through the {@link ClusterNodePoller}, slot maps into the clients and
 * answers to the waiting ones through the {@link ClusterSlotMaps}, events to the listeners), schedules its ticks,
 * and has the {@link ClusterSnapshotKeeper} keep the snapshot. All its state is touched on that thread only.
 */
final class ClusterDecisionRunner {

	// The monitor's category, as before the split: logging settings that name it keep working.
	private static final Log logger = LogFactory.getLog(ClusterMonitor.class);

	private final ClusterCore core;

	private final ClusterMonitorSettings settings;

	private final Clock clock;

	private final Supplier<List<ClusterListener>> listeners;

	private final Supplier<@Nullable ScheduledExecutorService> thread;

	private final Supplier<@Nullable ClusterNodePoller> poller;

	private final ClusterSlotMaps slotMaps;

	private final ClusterSnapshotKeeper snapshots;

	private @Nullable ScheduledFuture<?> nextTick;

	/**
	 * Create a runner; the thread and the poller are the monitor's, {@code null} while it is stopped.
	 * @param settings what to monitor, how often
	 * @param clock the clock for event times
	 * @param listeners the listeners, read on the monitor thread
	 * @param clients the clients whose slot map is kept, attached and detached on any thread
	 * @param thread the monitor thread
	 * @param poller the poller
	 */
	ClusterDecisionRunner(ClusterMonitorSettings settings, Clock clock, Supplier<List<ClusterListener>> listeners,
			List<HaRedisClusterClient> clients, Supplier<@Nullable ScheduledExecutorService> thread,
			Supplier<@Nullable ClusterNodePoller> poller) {
		this.core = new ClusterCore(settings.seeds(), settings.refreshInterval(), settings.fastInterval());
		this.settings = settings;
		this.clock = clock;
		this.listeners = listeners;
		this.slotMaps = new ClusterSlotMaps(clients);
		this.snapshots = new ClusterSnapshotKeeper(settings.seeds());
		this.thread = thread;
		this.poller = poller;
	}

	/** Begin: the future gets the first slot map, or fails when no node answered. */
	void start(CompletableFuture<List<RedisClusterNode>> first) {
		this.slotMaps.waitFor(first);
		carryOut(this.core.start());
	}

	/** A client wants a fresh slot map: answered by the next {@link ClusterDecision.AnswerWaiters}. */
	void waitForNodes(CompletableFuture<List<RedisClusterNode>> answer) {
		this.slotMaps.waitFor(answer);
		carryOut(this.core.refreshWanted(now()));
	}

	/** The monitor stops: whoever still waits is answered. */
	void release() {
		this.slotMaps.release();
	}

	/**
	 * Run a task on the monitor thread; from any thread.
	 * @param task the task
	 * @return whether it was queued: not once the monitor stopped
	 */
	boolean execute(Runnable task) {
		ScheduledExecutorService thread = this.thread.get();
		if (thread == null || thread.isShutdown()) {
			return false;
		}
		try {
			thread.execute(task);
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** The latest snapshot; from any thread. */
	ClusterSnapshot snapshot() {
		return this.snapshots.snapshot();
	}

	/** Why each seed did not answer; from any thread. */
	List<String> failures() {
		return this.snapshots.failures();
	}

	private void carryOut(List<ClusterDecision> decisions) {
		for (ClusterDecision decision : decisions) {
			if (decision instanceof ClusterDecision.Poll poll) {
				try {
					poll(poll.node());
				}
				catch (RuntimeException ex) {
					// Never leave the core waiting for an outcome that cannot come.
					this.snapshots.failed(poll.node(), RedisErrors.describe(ex));
					carryOut(this.core.failed(poll.node(), now()));
				}
			}
			else if (decision instanceof ClusterDecision.AskReplication ask) {
				askReplication(ask.master());
			}
			else if (decision instanceof ClusterDecision.ReloadSlots) {
				reloadSlots();
			}
			else if (decision instanceof ClusterDecision.Publish publish) {
				publish(publish.event());
			}
			else if (decision instanceof ClusterDecision.AnswerWaiters answer) {
				this.slotMaps.answerWaiters(answer.view(), this::failures);
			}
		}
		refreshSnapshot();
		scheduleTick();
	}

	private void refreshSnapshot() {
		this.snapshots.refresh(this.core);
	}

	private void poll(NodeAddress node) {
		ClusterNodePoller poller = this.poller.get();
		if (poller == null) {
			return;
		}
		CompletableFuture<String> reply = poller.clusterNodes(node);
		reply.whenComplete((answer, failure) -> execute(() -> {
			if (failure == null) {
				answered(node, answer);
			}
			else {
				this.snapshots.failed(node, RedisErrors.describe(failure));
				carryOut(this.core.failed(node, now()));
			}
		}));
		ScheduledExecutorService thread = this.thread.get();
		if (thread != null && !thread.isShutdown()) {
			// A node that takes longer than the fast interval may be frozen: ask another meanwhile.
			thread.schedule(() -> {
				if (!reply.isDone()) {
					carryOut(this.core.slow(node, now()));
				}
			}, this.settings.fastInterval().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * The answer, or its failure (which the poller's timeout bounds), goes back to the core on this thread.
	 */
	private void askReplication(NodeAddress master) {
		ClusterNodePoller poller = this.poller.get();
		CompletableFuture<String> reply;
		try {
			reply = (poller != null) ? poller.replicationInfo(master) : CompletableFuture.failedFuture(
					new IllegalStateException("stopped"));
		}
		catch (RuntimeException ex) {
			reply = CompletableFuture.failedFuture(ex);
		}
		reply.whenComplete((answer, failure) -> execute(() -> {
			ReplicationInfo info = null;
			try {
				info = (failure == null) ? ReplicationInfo.parse(answer) : null;
			}
			catch (RuntimeException ex) {
				logger.debug("Unreadable INFO replication answer from " + master, ex);
			}
			this.core.replicationAnswered(master, info);
			refreshSnapshot();
		}));
	}

	private void answered(NodeAddress node, String answer) {
		ClusterView read;
		List<RedisClusterNode> parsed;
		try {
			read = ClusterView.parse(answer);
			parsed = new ArrayList<>(ClusterPartitionParser.parse(answer).getPartitions());
		}
		catch (RuntimeException ex) {
			this.snapshots.failed(node, "unreadable CLUSTER NODES answer: " + ex.getMessage());
			carryOut(this.core.failed(node, now()));
			return;
		}
		// A node that does not know its address yet (noaddr, a fresh node's own line) has no URI: left out.
		parsed.removeIf((each) -> each.getUri() == null || each.getUri().getHost() == null
				|| each.getUri().getPort() <= 0);
		ClusterNodePoller poller = this.poller.get();
		if (poller != null) {
			// The answer carries no credentials or TLS: a node is reached as the seeds are.
			parsed.forEach((each) -> each.setUri(poller.uri(new NodeAddress(each.getUri().getHost(),
					each.getUri().getPort()))));
		}
		this.snapshots.answered(node, now());
		List<ClusterDecision> decisions = this.core.answered(node, read, now());
		// Before the decisions: a client that waited for this view asks isReady() next.
		refreshSnapshot();
		Set<NodeAddress> known = this.core.nodes();
		this.slotMaps.learn(parsed, known);
		if (poller != null) {
			poller.retain(known);
		}
		carryOut(decisions);
	}

	private void reloadSlots() {
		try {
			this.slotMaps.reload(this.core.view());
		}
		finally {
			carryOut(this.core.reloaded(now()));
		}
	}

	private void publish(ShardFailoverEvent event) {
		this.snapshots.failedOver(event);
		logger.info("Slots " + event.slots() + " moved from " + event.from() + " to " + event.to());
		for (ClusterListener listener : this.listeners.get()) {
			try {
				listener.onShardFailover(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A cluster listener failed on " + event, ex);
			}
		}
	}

	private void scheduleTick() {
		ScheduledExecutorService thread = this.thread.get();
		if (thread == null) {
			return;
		}
		if (this.nextTick != null) {
			this.nextTick.cancel(false);
			this.nextTick = null;
		}
		if (this.core.isPolling()) {
			// Its answer or failure comes back as an input, which schedules the next tick.
			return;
		}
		Instant now = now();
		Instant due = this.core.nextPoll();
		long delay = due.isAfter(now) ? Math.max(1, Duration.between(now, due).toMillis()) : 1;
		this.nextTick = thread.schedule(() -> carryOut(this.core.tick(now())), delay, TimeUnit.MILLISECONDS);
	}

	private Instant now() {
		return this.clock.instant();
	}

}
