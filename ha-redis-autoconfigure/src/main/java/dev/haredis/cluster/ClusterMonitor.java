package dev.haredis.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

import dev.haredis.internal.RedisErrors;
import dev.haredis.topology.NodeAddress;

/**
 * The application's single view of a Redis Cluster: it asks one node at a time for {@code CLUSTER NODES}, on a
 * period and at once when something changed, and keeps the slot map of every {@link HaRedisClusterClient} on the
 * newest view, so that commands for a failed shard's slots go to its promoted replica as soon as a node reports the
 * promotion. Every decision is the {@link ClusterCore}'s; this class is its shell: one thread, the monitor thread,
 * feeds the core and carries out its decisions in order, {@link ClusterListener}s included.
 */
public class ClusterMonitor implements SmartLifecycle, HaRedisClusterClient.SlotSource {

	/** Early, as the sentinel topology: the slot map is known before anything connects. */
	public static final int PHASE = -1000;

	private static final Log logger = LogFactory.getLog(ClusterMonitor.class);

	private final ClusterCore core;

	private final ClusterMonitorSettings settings;

	private final Supplier<ClusterNodePoller> pollers;

	private final Clock clock;

	private final Supplier<? extends List<ClusterListener>> listenerBeans;

	private final List<HaRedisClusterClient> clients = new CopyOnWriteArrayList<>();

	// Touched on the monitor thread only.
	private final List<CompletableFuture<List<RedisClusterNode>>> waiters = new ArrayList<>();

	private final Map<NodeAddress, String> lastFailures = new ConcurrentHashMap<>();

	private Map<NodeAddress, RedisClusterNode> nodes = Map.of();

	private List<ClusterListener> listeners = List.of();

	private @Nullable ScheduledFuture<?> nextTick;

	private volatile ClusterSnapshot snapshot = ClusterSnapshot.EMPTY;

	// Touched on the monitor thread only.
	private final Map<NodeAddress, ShardFailoverEvent> lastFailovers = new LinkedHashMap<>();

	private long failovers;

	private @Nullable Instant updatedAt;

	private volatile @Nullable ScheduledExecutorService thread;

	private volatile @Nullable ClusterNodePoller poller;

	/**
	 * Create a monitor.
	 * @param settings what to monitor, how often
	 * @param resources the application's Lettuce resources
	 * @param options the client options of its own connections (socket, TLS)
	 * @param credentials credentials and TLS of the data nodes (its host and port are not used)
	 * @param clock the clock for event times
	 * @param listeners the listeners, taken once when the monitor starts
	 */
	public ClusterMonitor(ClusterMonitorSettings settings, ClientResources resources, ClientOptions options,
			RedisURI credentials, Clock clock, Supplier<? extends List<ClusterListener>> listeners) {
		this(settings, () -> new ClusterNodePoller(resources, options, credentials, settings.timeout(),
				settings.addressMap()), clock, listeners);
	}

	ClusterMonitor(ClusterMonitorSettings settings, Supplier<ClusterNodePoller> pollers, Clock clock,
			Supplier<? extends List<ClusterListener>> listeners) {
		this.settings = settings;
		this.core = new ClusterCore(settings.seeds(), settings.refreshInterval(), settings.fastInterval());
		this.pollers = pollers;
		this.clock = clock;
		this.listenerBeans = listeners;
	}

	/**
	 * Return the newest view of the cluster, without any network round trip.
	 * @return the view, or empty before any node answered
	 */
	public Optional<ClusterView> getView() {
		return Optional.ofNullable(this.snapshot.view());
	}

	/**
	 * Return the latest picture of the cluster, without any network round trip.
	 * @return the snapshot
	 */
	public ClusterSnapshot getSnapshot() {
		return this.snapshot;
	}

	@Override
	public void start() {
		if (this.thread != null) {
			return;
		}
		this.listeners = List.copyOf(this.listenerBeans.get());
		this.poller = this.pollers.get();
		ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread monitor = new Thread(task, "ha-redis-cluster");
			monitor.setDaemon(true);
			return monitor;
		});
		this.thread = thread;
		CompletableFuture<List<RedisClusterNode>> first = new CompletableFuture<>();
		thread.execute(() -> {
			this.waiters.add(first);
			carryOut(this.core.start());
		});
		Duration limit = this.settings.timeout().multipliedBy(this.settings.seeds().size() + 1L);
		try {
			first.get(limit.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			stop();
			throw new IllegalStateException("Interrupted while waiting for the first view of the cluster", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			if (this.settings.failFast()) {
				stop();
				throw new ClusterUnreachableException(this.settings.seeds(), failures());
			}
			logger.warn("No cluster node answered yet (" + String.join("; ", failures()) + "); keeping on asking");
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService thread = this.thread;
		this.thread = null;
		if (thread != null) {
			// The last task answers whoever still waits; then the thread ends.
			try {
				thread.execute(this::failWaiters);
			}
			catch (RuntimeException ex) {
				// already shut down
			}
			thread.shutdown();
			try {
				if (!thread.awaitTermination(this.settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
					thread.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				thread.shutdownNow();
			}
		}
		ClusterNodePoller poller = this.poller;
		this.poller = null;
		if (poller != null) {
			poller.close();
		}
	}

	private void failWaiters() {
		RedisConnectionException stopped = new RedisConnectionException("The ha-redis cluster monitor stopped");
		this.waiters.forEach((waiter) -> waiter.completeExceptionally(stopped));
		this.waiters.clear();
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isReady() {
		return this.snapshot.view() != null && this.thread != null;
	}

	@Override
	public CompletableFuture<List<RedisClusterNode>> freshNodes() {
		CompletableFuture<List<RedisClusterNode>> answer = new CompletableFuture<>();
		if (!execute(() -> {
			this.waiters.add(answer);
			carryOut(this.core.refreshWanted(now()));
		})) {
			answer.completeExceptionally(new RedisConnectionException("The ha-redis cluster monitor is stopped"));
		}
		return answer;
	}

	@Override
	public void attach(HaRedisClusterClient client) {
		this.clients.add(client);
	}

	@Override
	public void detach(HaRedisClusterClient client) {
		this.clients.remove(client);
	}

	private void carryOut(List<ClusterDecision> decisions) {
		for (ClusterDecision decision : decisions) {
			if (decision instanceof ClusterDecision.Poll poll) {
				try {
					poll(poll.node());
				}
				catch (RuntimeException ex) {
					// Never leave the core waiting for an outcome that cannot come.
					this.lastFailures.put(poll.node(), RedisErrors.describe(ex));
					carryOut(this.core.failed(poll.node(), now()));
				}
			}
			else if (decision instanceof ClusterDecision.ReloadSlots) {
				reloadSlots();
			}
			else if (decision instanceof ClusterDecision.Publish publish) {
				publish(publish.event());
			}
			else if (decision instanceof ClusterDecision.AnswerWaiters answer) {
				answerWaiters(answer.view());
			}
		}
		refreshSnapshot();
		scheduleTick();
	}

	private void refreshSnapshot() {
		this.snapshot = new ClusterSnapshot(this.core.view(), this.core.unreachable(), this.lastFailovers,
				this.failovers, this.updatedAt);
	}

	private void poll(NodeAddress node) {
		ClusterNodePoller poller = this.poller;
		if (poller == null) {
			return;
		}
		CompletableFuture<String> reply = poller.clusterNodes(node);
		reply.whenComplete((answer, failure) -> execute(() -> {
			if (failure == null) {
				answered(node, answer);
			}
			else {
				this.lastFailures.put(node, RedisErrors.describe(failure));
				carryOut(this.core.failed(node, now()));
			}
		}));
		ScheduledExecutorService thread = this.thread;
		if (thread != null && !thread.isShutdown()) {
			// A node that takes longer than the fast interval may be frozen: ask another meanwhile.
			thread.schedule(() -> {
				if (!reply.isDone()) {
					carryOut(this.core.slow(node, now()));
				}
			}, this.settings.fastInterval().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void answered(NodeAddress node, String answer) {
		ClusterView read;
		List<RedisClusterNode> parsed;
		try {
			read = ClusterView.parse(answer);
			parsed = new ArrayList<>(ClusterPartitionParser.parse(answer).getPartitions());
		}
		catch (RuntimeException ex) {
			this.lastFailures.put(node, "unreadable CLUSTER NODES answer: " + ex.getMessage());
			carryOut(this.core.failed(node, now()));
			return;
		}
		// A node that does not know its address yet (noaddr, a fresh node's own line) has no URI: left out.
		parsed.removeIf((each) -> each.getUri() == null || each.getUri().getHost() == null
				|| each.getUri().getPort() <= 0);
		ClusterNodePoller poller = this.poller;
		if (poller != null) {
			// The answer carries no credentials or TLS: a node is reached as the seeds are.
			parsed.forEach((each) -> each.setUri(poller.uri(new NodeAddress(each.getUri().getHost(),
					each.getUri().getPort()))));
		}
		this.lastFailures.remove(node);
		this.updatedAt = now();
		List<ClusterDecision> decisions = this.core.answered(node, read, now());
		// Before the decisions: a client that waited for this view asks isReady() next.
		refreshSnapshot();
		// Node details accumulate over answers (a late or partial answer does not lose a node), for the nodes the
		// monitor still knows.
		Map<NodeAddress, RedisClusterNode> nodes = new LinkedHashMap<>(this.nodes);
		nodes.putAll(ClusterPartitions.byAddress(parsed));
		Set<NodeAddress> known = this.core.nodes();
		nodes.keySet().retainAll(known);
		this.nodes = nodes;
		if (poller != null) {
			poller.retain(known);
		}
		carryOut(decisions);
	}

	private void reloadSlots() {
		try {
			ClusterView known = this.core.view();
			if (known != null) {
				List<RedisClusterNode> slotMap = ClusterPartitions.of(known, this.nodes);
				for (HaRedisClusterClient client : this.clients) {
					try {
						client.apply(slotMap);
					}
					catch (RuntimeException ex) {
						logger.warn("Could not give a cluster client its new slot map", ex);
					}
				}
			}
		}
		finally {
			carryOut(this.core.reloaded(now()));
		}
	}

	private void answerWaiters(@Nullable ClusterView known) {
		List<CompletableFuture<List<RedisClusterNode>>> answered = List.copyOf(this.waiters);
		this.waiters.clear();
		if (known != null) {
			List<RedisClusterNode> slotMap = ClusterPartitions.of(known, this.nodes);
			answered.forEach((waiter) -> waiter.complete(slotMap));
		}
		else {
			RedisConnectionException failure = new RedisConnectionException(
					"No cluster node answered CLUSTER NODES: " + String.join("; ", failures()));
			answered.forEach((waiter) -> waiter.completeExceptionally(failure));
		}
	}

	private void publish(ShardFailoverEvent event) {
		this.lastFailovers.remove(event.from());
		this.lastFailovers.put(event.to(), event);
		this.failovers++;
		logger.info("Slots " + event.slots() + " moved from " + event.from() + " to " + event.to());
		for (ClusterListener listener : this.listeners) {
			try {
				listener.onShardFailover(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A cluster listener failed on " + event, ex);
			}
		}
	}

	private void scheduleTick() {
		ScheduledExecutorService thread = this.thread;
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

	private boolean execute(Runnable task) {
		ScheduledExecutorService thread = this.thread;
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

	private List<String> failures() {
		return this.settings.seeds()
			.stream()
			.map((seed) -> seed + ": " + this.lastFailures.getOrDefault(seed, "no answer yet"))
			.toList();
	}

	private Instant now() {
		return this.clock.instant();
	}

}
