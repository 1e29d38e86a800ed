package dev.haredis.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.internal.RedisErrors;
import dev.haredis.internal.BackgroundThreads;

/**
 * The production {@link TopologyTransport}: Lettuce connections to the sentinels and data nodes, one daemon thread
 * for the topology, and another for discoveries (which ask the sentinels in turn, blocking, as
 * {@link MasterDiscovery} does).
 */
final class LettuceTopologyTransport implements TopologyTransport {

	private static final Log logger = LogFactory.getLog(LettuceTopologyTransport.class);

	private static final int MAX_KEPT_ROLE_CONNECTIONS = 8;

	private final MasterDiscovery discovery;

	private final SentinelConnector connector;

	private final Clock clock;

	private final ScheduledExecutorService topology;

	private final ExecutorService discoveries;

	private volatile @Nullable Thread topologyThread;

	/** The connections kept for role checks, by node: the master and the few nodes sentinels name. */
	private final Map<NodeAddress, LettuceRoleProbe> roleConnections = new ConcurrentHashMap<>();

	LettuceTopologyTransport(MasterDiscovery discovery, SentinelConnector connector, Clock clock) {
		this.discovery = discovery;
		this.connector = connector;
		this.clock = clock;
		this.topology = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = BackgroundThreads.named("ha-redis-topology").newThread(task);
			this.topologyThread = thread;
			return thread;
		});
		this.discoveries = Executors.newSingleThreadExecutor(BackgroundThreads.named("ha-redis-topology-discovery"));
	}

	@Override
	public Instant now() {
		return this.clock.instant();
	}

	@Override
	public void execute(Runnable task) {
		try {
			this.topology.execute(() -> runLogged(task));
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Topology stopped; dropping a task");
		}
	}

	@Override
	public Scheduled schedule(Duration delay, Runnable task) {
		try {
			ScheduledFuture<?> scheduled = this.topology.schedule(() -> runLogged(task), delay.toNanos(),
					TimeUnit.NANOSECONDS);
			return () -> scheduled.cancel(false);
		}
		catch (RejectedExecutionException ex) {
			return () -> {
			};
		}
	}

	private static void runLogged(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Topology task failed", ex);
		}
	}

	@Override
	public <T> T await(CompletableFuture<T> future, Duration limit)
			throws ExecutionException, TimeoutException, InterruptedException {
		return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public boolean inTopologyThread() {
		return Thread.currentThread() == this.topologyThread;
	}

	@Override
	public boolean mustNotWait() {
		return Thread.currentThread() instanceof FastThreadLocalThread;
	}

	@Override
	public SentinelFeed follow(NodeAddress sentinel, boolean learned, @Nullable String announcedId,
			Consumer<SentinelEvent> events) {
		SentinelLink link = new SentinelLink(sentinel, learned, announcedId, this.connector, events, this.clock);
		link.connect();
		return link;
	}

	@Override
	public CompletableFuture<SentinelCheck.RoleAnswer> role(NodeAddress node) {
		// A connection kept per node: a check every second no longer opens (and authenticates, and closes) one.
		LettuceRoleProbe kept = this.roleConnections.get(node);
		if (kept == null) {
			if (this.roleConnections.size() >= MAX_KEPT_ROLE_CONNECTIONS) {
				this.roleConnections.values().forEach(LettuceRoleProbe::close);
				this.roleConnections.clear();
			}
			kept = new LettuceRoleProbe(node, this.connector);
			this.roleConnections.put(node, kept);
		}
		return kept.role(this.connector.getSettings().timeout());
	}

	private static CompletableFuture<SentinelCheck.RoleAnswer> askRole(NodeAddress node,
			StatefulRedisConnection<String, String> connection, Duration timeout) {
		return SentinelConnector
			.bounded(connection.async().role().toCompletableFuture(), timeout, (reply) -> {
			}, () -> new RedisCommandTimeoutException("No answer to ROLE within " + timeout.toMillis() + "ms"))
			.thenApply((reply) -> new SentinelCheck.RoleAnswer(RoleCheck.of(node, reply), null, false));
	}

	static SentinelCheck.RoleAnswer failed(NodeAddress node, Throwable failure) {
		String problem = RedisErrors.isHostNameMismatch(failure)
				? "its " + RedisErrors.describeHostNameMismatch(node.host(), failure) : RedisErrors.describe(failure);
		logger.debug("Role check of " + node + " failed: " + problem);
		return new SentinelCheck.RoleAnswer(null, problem, RedisErrors.isUnreachable(failure));
	}

	@Override
	public RoleProbe probe(NodeAddress node) {
		return new LettuceRoleProbe(node, this.connector);
	}

	@Override
	public CompletableFuture<DiscoveredMaster> discover() {
		return CompletableFuture.supplyAsync(this.discovery::discover, this.discoveries);
	}

	@Override
	public void close() {
		this.roleConnections.values().forEach(LettuceRoleProbe::close);
		this.roleConnections.clear();
		this.discoveries.shutdownNow();
		this.topology.shutdownNow();
		try {
			if (!inTopologyThread()) {
				this.topology.awaitTermination(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A connection kept to ask a node its role: for the checks, and to poll the replica being promoted. A failed
	 * question drops the connection and the next one opens a new one; a kept connection the server closed since
	 * (a restart, or the sentinel killing the replica's clients while promoting it) is replaced at once, once.
	 */
	private static final class LettuceRoleProbe implements RoleProbe {

		private final NodeAddress node;

		private final SentinelConnector connector;

		private @Nullable CompletableFuture<StatefulRedisConnection<String, String>> connection;

		LettuceRoleProbe(NodeAddress node, SentinelConnector connector) {
			this.node = node;
			this.connector = connector;
		}

		@Override
		public synchronized CompletableFuture<SentinelCheck.RoleAnswer> role(Duration timeout) {
			CompletableFuture<StatefulRedisConnection<String, String>> current = this.connection;
			boolean kept = current != null && current.isDone() && !current.isCompletedExceptionally();
			CompletableFuture<SentinelCheck.RoleAnswer> answer = ask(timeout);
			if (kept) {
				// Not after a timeout: a node that does not answer (frozen) is reported as such, not asked twice.
				answer = answer.exceptionallyCompose(
						(failure) -> RedisErrors.isTimeout(failure) ? CompletableFuture.failedFuture(failure) : ask(timeout));
			}
			return answer.exceptionally((failure) -> failed(this.node, failure));
		}

		private synchronized CompletableFuture<SentinelCheck.RoleAnswer> ask(Duration timeout) {
			CompletableFuture<StatefulRedisConnection<String, String>> current = this.connection;
			if (current == null || current.isCompletedExceptionally()) {
				current = this.connector.connectDataNodeAsync(this.node, timeout);
				this.connection = current;
			}
			CompletableFuture<StatefulRedisConnection<String, String>> used = current;
			return used.thenCompose((open) -> askRole(this.node, open, timeout)).whenComplete((answer, failure) -> {
				if (failure != null) {
					drop(used);
				}
			});
		}

		private synchronized void drop(CompletableFuture<StatefulRedisConnection<String, String>> failed) {
			if (this.connection == failed) {
				this.connection = null;
			}
			failed.thenAccept(StatefulRedisConnection::closeAsync);
		}

		@Override
		public synchronized void close() {
			CompletableFuture<StatefulRedisConnection<String, String>> open = this.connection;
			this.connection = null;
			if (open != null) {
				open.thenAccept(StatefulRedisConnection::closeAsync);
			}
		}

	}

}
