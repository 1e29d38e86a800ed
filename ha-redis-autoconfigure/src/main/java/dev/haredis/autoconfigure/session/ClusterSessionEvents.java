package dev.haredis.autoconfigure.session;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.DefaultMessage;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;

import dev.haredis.cluster.ClusterListener;
import dev.haredis.cluster.ShardFailoverEvent;
import dev.haredis.internal.BackgroundThreads;
import dev.haredis.internal.RedisErrors;

/**
 * Brings the session deletion and expiry events of every shard of a Redis Cluster to Spring Session's indexed
 * repository. Keyspace notifications are not spread over the cluster bus: each node publishes those of its own
 * keys, so Spring Session's container, subscribed on one node, hears of a third of the sessions on three shards.
 * This subscribes on every master instead (at once after a shard failover, for the promoted replica, and every few
 * seconds for masters that were down), and, once connected, takes those two channels away from Spring Session's
 * container so that no event arrives twice. Only messages of nodes that are masters at the time count: a replica
 * repeats the master's deletions, expiries included.
 */
class ClusterSessionEvents implements SmartLifecycle, ClusterListener {

	private static final Log logger = LogFactory.getLog(ClusterSessionEvents.class);

	/**
	 * How often the subscriptions are checked on every master, and a failed connection tried again: a master that
	 * could not be subscribed to (down at the time) is subscribed to within this time of coming back.
	 */
	private static final Duration RESUBSCRIBE_INTERVAL = Duration.ofSeconds(5);

	private final RedisConnectionFactory connectionFactory;

	private final Supplier<@Nullable RedisIndexedSessionRepository> repository;

	private final Supplier<@Nullable RedisMessageListenerContainer> container;

	// Connecting and selecting nodes wait for the network: never on the lifecycle or the monitor thread.
	private final ScheduledExecutorService subscriber = Executors
		.newSingleThreadScheduledExecutor(BackgroundThreads.named("ha-redis-session-subscriber"));

	// The repository reads the session from Redis: never on Lettuce's I/O thread, which would wait for itself.
	private final ExecutorService dispatcher = Executors
		.newSingleThreadExecutor(BackgroundThreads.named("ha-redis-session-events"));

	private volatile boolean running;

	// Set on the subscriber thread; read by stop() too.
	private volatile @Nullable Subscription subscription;

	/**
	 * Create a new instance.
	 * @param connectionFactory the sessions' connection factory, a cluster one for this to do anything
	 * @param repository Spring Session's indexed repository, when it has one
	 * @param container Spring Session's listener container, when it has one
	 */
	ClusterSessionEvents(RedisConnectionFactory connectionFactory,
			Supplier<@Nullable RedisIndexedSessionRepository> repository,
			Supplier<@Nullable RedisMessageListenerContainer> container) {
		this.connectionFactory = connectionFactory;
		this.repository = repository;
		this.container = container;
	}

	@Override
	public void start() {
		RedisIndexedSessionRepository sessions = this.repository.get();
		RedisMessageListenerContainer springSessionContainer = this.container.get();
		AbstractRedisClient client = (this.connectionFactory instanceof LettuceConnectionFactory lettuce)
				? lettuce.getNativeClient() : null;
		if (sessions == null || springSessionContainer == null || !(client instanceof RedisClusterClient cluster)) {
			return;
		}
		this.running = true;
		long interval = RESUBSCRIBE_INTERVAL.toMillis();
		this.subscriber.scheduleWithFixedDelay(() -> subscribe(cluster, sessions, springSessionContainer), 0, interval,
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void onShardFailover(ShardFailoverEvent event) {
		// The promoted replica is a master now: subscribe to it at once rather than at the next round.
		BackgroundThreads.executeUnlessStopping(this.subscriber, this::onMasters);
	}

	@Override
	public void stop() {
		this.running = false;
		this.subscriber.shutdownNow();
		this.dispatcher.shutdownNow();
		Subscription current = this.subscription;
		if (current != null) {
			current.connection().closeAsync();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Connect when not connected yet (then take the channels from Spring Session's container), and subscribe on
	 * every master.
	 */
	private void subscribe(RedisClusterClient cluster, RedisIndexedSessionRepository sessions,
			RedisMessageListenerContainer springSessionContainer) {
		if (this.subscription == null) {
			try {
				this.subscription = connect(cluster, sessions);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not connect to the cluster for the session events of every master ("
						+ RedisErrors.describe(ex) + "); trying again in " + RESUBSCRIBE_INTERVAL.toSeconds() + " s");
				return;
			}
			springSessionContainer.removeMessageListener(sessions,
					List.of(new ChannelTopic(sessions.getSessionDeletedChannel()),
							new ChannelTopic(sessions.getSessionExpiredChannel())));
		}
		onMasters();
	}

	private Subscription connect(RedisClusterClient cluster, RedisIndexedSessionRepository sessions) {
		StatefulRedisClusterPubSubConnection<byte[], byte[]> connection = cluster.connectPubSub(ByteArrayCodec.INSTANCE);
		connection.setNodeMessagePropagation(true);
		connection.addListener(new RedisClusterPubSubAdapter<>() {

			@Override
			public void message(RedisClusterNode node, byte[] channel, byte[] message) {
				if (isMaster(cluster, node)) {
					dispatch(() -> sessions.onMessage(new DefaultMessage(channel, message), null));
				}
			}

		});
		return new Subscription(connection,
				new byte[][] { bytes(sessions.getSessionDeletedChannel()), bytes(sessions.getSessionExpiredChannel()) });
	}

	private void onMasters() {
		Subscription current = this.subscription;
		if (current != null) {
			current.onMasters();
		}
	}

	private void dispatch(Runnable delivery) {
		BackgroundThreads.executeUnlessStopping(this.dispatcher, () -> {
			try {
				delivery.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Spring Session could not handle a session event: " + RedisErrors.describe(ex));
			}
		});
	}

	private static boolean isMaster(RedisClusterClient cluster, @Nullable RedisClusterNode node) {
		RedisClusterNode now = (node != null) ? cluster.getPartitions().getPartitionByNodeId(node.getNodeId()) : null;
		return now != null && now.is(RedisClusterNode.NodeFlag.UPSTREAM);
	}

	private static byte[] bytes(String channel) {
		return channel.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The pub/sub connection and the channels it listens to on every master.
	 */
	private record Subscription(StatefulRedisClusterPubSubConnection<byte[], byte[]> connection, byte[][] channels) {

		/**
		 * Subscribe on every master the slot map names now; masters already subscribed stay as they are.
		 */
		void onMasters() {
			try {
				this.connection.async()
					.masters()
					.commands()
					.subscribe(this.channels)
					.asMap()
					.forEach((node, subscribed) -> subscribed.whenComplete((done, failure) -> {
						if (failure != null) {
							warn(node.getUri() + ": " + RedisErrors.describe(failure));
						}
					}));
			}
			catch (RuntimeException ex) {
				warn(RedisErrors.describe(ex));
			}
		}

		private static void warn(String problem) {
			logger.warn("Could not subscribe to the session events of every master (" + problem + "): trying again "
					+ "in " + RESUBSCRIBE_INTERVAL.toSeconds() + " s");
		}

	}

}
