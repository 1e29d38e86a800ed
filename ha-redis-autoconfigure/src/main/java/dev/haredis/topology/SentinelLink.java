package dev.haredis.topology;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ListOfMapsOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.async.RedisSentinelAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.internal.RedisErrors;

/**
 * The topology's two long-lived connections to one sentinel: one subscribed to all its events, one to ask it
 * about the master. Both reconnect by themselves; until a first connection succeeds, each {@link #connect()} tries
 * again without blocking. A sentinel is known by its id ({@code SENTINEL MYID}) as well as its address: the other
 * sentinels list it under the address it announces, which may be another name for it or, behind NAT, one that
 * cannot be reached at all.
 */
final class SentinelLink implements TopologyTransport.SentinelFeed {

	private static final Log logger = LogFactory.getLog(SentinelLink.class);

	private final NodeAddress sentinel;

	private final SentinelConnector connector;

	private final Consumer<SentinelEvent> events;

	private final Clock clock;

	private final boolean learned;

	private final @Nullable String announcedId;

	private volatile @Nullable String id;

	private volatile boolean reached;

	private volatile boolean answering;

	private final AtomicBoolean myIdRefusalLogged = new AtomicBoolean();

	private @Nullable CompletableFuture<StatefulRedisSentinelConnection<String, String>> commands;

	private @Nullable CompletableFuture<StatefulRedisPubSubConnection<String, String>> subscription;

	private volatile @Nullable String connectProblem;

	/**
	 * Create a link.
	 * @param sentinel the sentinel's (reachable) address
	 * @param learned whether it was learned from the other sentinels rather than configured
	 * @param announcedId the id the other sentinels gave it, if any
	 * @param connector the connector
	 * @param events where its events go
	 * @param clock the clock
	 */
	SentinelLink(NodeAddress sentinel, boolean learned, @Nullable String announcedId, SentinelConnector connector,
			Consumer<SentinelEvent> events, Clock clock) {
		this.sentinel = sentinel;
		this.learned = learned;
		this.announcedId = (announcedId != null && !announcedId.isBlank()) ? announcedId : null;
		this.connector = connector;
		this.events = events;
		this.clock = clock;
	}

	NodeAddress sentinel() {
		return this.sentinel;
	}

	/**
	 * Return whether this sentinel was learned from the others rather than configured.
	 * @return whether it was learned
	 */
	boolean learned() {
		return this.learned;
	}

	/**
	 * Return the sentinel's id: its own answer once it gave one, else the id the others announced it with.
	 * @return the id, or {@code null} while it is not known (before Redis 6.2, sentinels have no MYID)
	 */
	@Nullable String id() {
		String own = this.id;
		return (own != null) ? own : this.announcedId;
	}

	/**
	 * Return whether the sentinel answered the last query.
	 * @return whether it answers
	 */
	boolean answering() {
		return this.answering;
	}

	@Override
	public void connect() {
		if (this.commands == null || this.commands.isCompletedExceptionally()) {
			this.commands = this.connector.followSentinel(this.sentinel).whenComplete(this::recordProblem);
		}
		if (this.subscription == null || this.subscription.isCompletedExceptionally()) {
			this.subscription = this.connector.subscribeToSentinel(this.sentinel)
				.whenComplete(this::recordProblem)
				.thenApply(this::subscribe);
		}
	}

	private void recordProblem(@Nullable Object connection, @Nullable Throwable failure) {
		this.connectProblem = (failure != null) ? RedisErrors.describe(failure) : null;
	}

	private StatefulRedisPubSubConnection<String, String> subscribe(
			StatefulRedisPubSubConnection<String, String> connection) {
		connection.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String pattern, String channel, String message) {
				SentinelLink.this.events
					.accept(SentinelEvent.parse(channel, message, SentinelLink.this.sentinel, SentinelLink.this.clock.instant()));
			}

		});
		// Lettuce subscribes again by itself after a reconnect.
		connection.async().psubscribe("*");
		return connection;
	}

	/**
	 * Ask the sentinel about the master; completes with an unreachable view rather than exceptionally. While its
	 * connections are being opened (the first check, just after start), the query waits for them, within the
	 * timeout, so that the first check sees a connected sentinel whose events are followed.
	 * @param masterName the master name
	 * @return the sentinel's view
	 */
	@Override
	public CompletableFuture<SentinelView> query(String masterName) {
		Duration timeout = this.connector.getSettings().timeout();
		CompletableFuture<?> commandsPending = this.commands;
		CompletableFuture<?> subscriptionPending = this.subscription;
		if (commandsPending != null && subscriptionPending != null
				&& (!commandsPending.isDone() || !subscriptionPending.isDone())) {
			long deadline = System.nanoTime() + timeout.toNanos();
			return CompletableFuture.allOf(commandsPending, subscriptionPending)
				.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
				.handle((ignored, failure) -> null)
				.thenCompose((ignored) -> ask(masterName,
						Duration.ofNanos(Math.max(Duration.ofMillis(1).toNanos(), deadline - System.nanoTime()))));
		}
		return ask(masterName, timeout);
	}

	private CompletableFuture<SentinelView> ask(String masterName, Duration timeout) {
		CompletableFuture<StatefulRedisSentinelConnection<String, String>> pending = this.commands;
		if (pending == null || !pending.isDone() || pending.isCompletedExceptionally()) {
			String problem = this.connectProblem;
			return CompletableFuture.completedFuture(unreachable((problem != null) ? problem : "connecting"));
		}
		StatefulRedisSentinelConnection<String, String> connection = pending.join();
		if (!connection.isOpen()) {
			return CompletableFuture.completedFuture(unreachable("disconnected"));
		}
		RedisSentinelAsyncCommands<String, String> async = connection.async();
		RedisFuture<java.net.SocketAddress> address = async.getMasterAddrByName(masterName);
		RedisFuture<Map<String, String>> master = async.master(masterName);
		RedisFuture<List<Map<String, String>>> replicas = async.replicas(masterName);
		RedisFuture<List<Map<String, String>>> sentinels = async.dispatch(CommandType.SENTINEL,
				new ListOfMapsOutput<>(StringCodec.UTF8),
				new CommandArgs<>(StringCodec.UTF8).add("SENTINELS").add(masterName));
		CompletableFuture<String> quorum = async
			.dispatch(CommandType.SENTINEL, new StatusOutput<>(StringCodec.UTF8),
					new CommandArgs<>(StringCodec.UTF8).add("CKQUORUM").add(masterName))
			.toCompletableFuture()
			.exceptionally((failure) -> "-" + RedisErrors.describe(failure));
		// Asked at every check: a sentinel recreated without its sentinel.conf comes back with a new id. Before Redis
		// 6.2 (or for an ACL user without +sentinel|myid) there is none, and the sentinel is known by its address.
		CompletableFuture<@Nullable String> myId = async
			.dispatch(CommandType.SENTINEL, new ValueOutput<>(StringCodec.UTF8),
					new CommandArgs<>(StringCodec.UTF8).add("MYID"))
			.toCompletableFuture()
			.exceptionally(this::myIdRefused);
		return CompletableFuture.allOf(address.toCompletableFuture(), master.toCompletableFuture(),
				replicas.toCompletableFuture(), sentinels.toCompletableFuture(), quorum, myId)
			.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
			.handle((ignored, failure) -> {
				if (failure != null) {
					String problem = RedisErrors.describe(failure);
					if (problem.contains("No such master")) {
						this.answering = true;
						return new SentinelView(this.sentinel, null, null, Map.of(), List.of(), List.of(), null, false,
								id());
					}
					return unreachable(problem);
				}
				this.reached = true;
				this.answering = true;
				// A MYID that failed this time (refused, or lost in a reconnect) leaves the id it gave before.
				String ownId = myId.join();
				if (ownId != null) {
					this.id = ownId;
				}
				String check = quorum.join();
				return new SentinelView(this.sentinel, null, toNode(address.toCompletableFuture().join()),
						master.toCompletableFuture().join(), replicas.toCompletableFuture().join(),
						sentinels.toCompletableFuture().join(), check.startsWith("-") ? check.substring(1) : check,
						!check.startsWith("-"), id());
			});
	}

	private @Nullable String myIdRefused(Throwable failure) {
		String reason = RedisErrors.describe(failure);
		if (RedisErrors.isAuthenticationError(reason) && this.myIdRefusalLogged.compareAndSet(false, true)) {
			logger.warn("Sentinel " + this.sentinel + " refused SENTINEL MYID (" + reason + "): sentinels are known "
					+ "by their address alone, so one the others announce under another address is followed and "
					+ "counted twice; grant the ha.redis.sentinel.username user +sentinel|myid");
		}
		return null;
	}

	private SentinelView unreachable(String problem) {
		this.answering = false;
		if (learned() && !this.reached) {
			return SentinelView.unreachable(this.sentinel, problem + " (announced by the other sentinels and never "
					+ "reached: " + MasterDiscoveryException.UNREACHABLE_SENTINEL_ADVICE + ")").withId(id());
		}
		return SentinelView.unreachable(this.sentinel, problem).withId(id());
	}

	/** The master as the sentinel announces it: the core maps it, and remembers both forms for health. */
	private static @Nullable NodeAddress toNode(java.net.@Nullable SocketAddress address) {
		return (address instanceof InetSocketAddress inet) ? new NodeAddress(inet.getHostString(), inet.getPort())
				: null;
	}

	@Override
	public void close() {
		closeQuietly(this.commands);
		closeQuietly(this.subscription);
	}

	private static void closeQuietly(
			@Nullable CompletableFuture<? extends io.lettuce.core.api.StatefulConnection<?, ?>> connection) {
		if (connection != null) {
			connection.thenAccept(io.lettuce.core.api.StatefulConnection::closeAsync);
		}
	}

}
