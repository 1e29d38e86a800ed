package dev.haredis.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The application's single view of a Redis Cluster: it asks one node at a time for {@code CLUSTER NODES}, on a
 * period and at once when something changed, and keeps the slot map of every {@link HaRedisClusterClient} on the
 * newest view, so that commands for a failed shard's slots go to its promoted replica as soon as a node reports the
 * promotion. Every decision is the {@link ClusterCore}'s; this class is its shell: it owns one thread, the monitor
 * thread, on which a {@link ClusterDecisionRunner} feeds the core and carries out its decisions in order,
 * {@link ClusterListener}s included.
 */
public class ClusterMonitor implements SmartLifecycle, HaRedisClusterClient.SlotSource {

	/** Early, as the sentinel topology: the slot map is known before anything connects. */
	public static final int PHASE = -1000;

	private static final Log logger = LogFactory.getLog(ClusterMonitor.class);

	private final ClusterMonitorSettings settings;

	private final Supplier<ClusterNodePoller> pollers;

	private final Supplier<? extends List<ClusterListener>> listenerBeans;

	private final List<HaRedisClusterClient> clients = new CopyOnWriteArrayList<>();

	private final ClusterDecisionRunner runner;

	// Set before the thread starts, read on it.
	private List<ClusterListener> listeners = List.of();

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
		this.pollers = pollers;
		this.listenerBeans = listeners;
		this.runner = new ClusterDecisionRunner(settings, clock, () -> this.listeners, this.clients,
				() -> this.thread, () -> this.poller);
	}

	/**
	 * Return the newest view of the cluster, without any network round trip.
	 * @return the view, or empty before any node answered
	 */
	public Optional<ClusterView> getView() {
		return Optional.ofNullable(this.runner.snapshot().view());
	}

	/**
	 * Return the latest picture of the cluster, without any network round trip.
	 * @return the snapshot
	 */
	public ClusterSnapshot getSnapshot() {
		return this.runner.snapshot();
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
		thread.execute(() -> this.runner.start(first));
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
				throw new ClusterUnreachableException(this.settings.seeds(), this.runner.failures());
			}
			logger.warn("No cluster node answered yet (" + String.join("; ", this.runner.failures())
					+ "); keeping on asking");
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService thread = this.thread;
		this.thread = null;
		if (thread != null) {
			// The last task answers whoever still waits; then the thread ends.
			try {
				thread.execute(this.runner::release);
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
		return this.runner.snapshot().view() != null && this.thread != null;
	}

	@Override
	public CompletableFuture<List<RedisClusterNode>> freshNodes() {
		CompletableFuture<List<RedisClusterNode>> answer = new CompletableFuture<>();
		if (!this.runner.execute(() -> this.runner.waitForNodes(answer))) {
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

}
