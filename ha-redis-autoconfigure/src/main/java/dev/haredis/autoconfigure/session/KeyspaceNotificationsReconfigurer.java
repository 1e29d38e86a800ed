package dev.haredis.autoconfigure.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.data.redis.config.ConfigureNotifyKeyspaceEventsAction;
import org.springframework.session.data.redis.config.ConfigureRedisAction;

import dev.haredis.cluster.ClusterListener;
import dev.haredis.cluster.ShardFailoverEvent;
import dev.haredis.internal.BackgroundThreads;
import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.topology.NodeAddress;
import dev.haredis.internal.RedisErrors;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;

/**
 * Sets again, on every new master, the keyspace notifications that Spring Session's indexed repository needs to
 * learn about expired and deleted sessions. Spring Session sets {@code notify-keyspace-events} once, at startup;
 * the setting is not replicated, so a promoted replica does not have it. On a Redis Cluster, where Spring Session's
 * own action reads one node's setting and may leave the others as they are, it is set on every master at startup,
 * and on the promoted replica after each shard failover.
 */
class KeyspaceNotificationsReconfigurer
		implements TopologyListener, ClusterListener, Ordered, SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(KeyspaceNotificationsReconfigurer.class);

	private static final String NOTIFY_KEYSPACE_EVENTS = "notify-keyspace-events";

	private static final int ATTEMPTS = 5;

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	private final RedisConnectionFactory connectionFactory;

	private final Supplier<@Nullable ConfigureRedisAction> action;

	// One thread: the topology thread must not wait for Redis.
	private final ExecutorService executor = Executors.newSingleThreadExecutor(BackgroundThreads.named("ha-redis-session-keyspace"));

	/**
	 * Create a new instance.
	 * @param connectionFactory the sessions' connection factory: to the master, or a cluster's
	 * @param action Spring Session's action, looked up on each switch; {@code null} or
	 * {@link ConfigureRedisAction#NO_OP} when the repository needs no notifications or the user configures the
	 * servers
	 */
	KeyspaceNotificationsReconfigurer(RedisConnectionFactory connectionFactory,
			Supplier<@Nullable ConfigureRedisAction> action) {
		this.connectionFactory = connectionFactory;
		this.action = action;
	}

	@Override
	public int getOrder() {
		return PURPOSES;
	}

	private volatile boolean running;

	@Override
	public void start() {
		this.running = true;
		if (this.connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware()) {
			execute(this::reconfigureEveryMaster);
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Set the notifications on every master of the cluster.
	 */
	void reconfigureEveryMaster() {
		List<NodeAddress> masters;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			if (!(connection instanceof RedisClusterConnection cluster)) {
				return;
			}
			masters = new ArrayList<>();
			for (RedisClusterNode node : cluster.clusterGetNodes()) {
				if (node.isMaster() && node.getHost() != null && node.getPort() != null) {
					masters.add(new NodeAddress(node.getHost(), node.getPort()));
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not list the cluster's masters to set notify-keyspace-events on them ("
					+ RedisErrors.describe(ex) + "): Spring Session may miss session expiry and deletion events");
			return;
		}
		masters.forEach(this::reconfigure);
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		if (event instanceof MasterSwitchedEvent switched) {
			reconfigureLater(switched.to());
		}
	}

	@Override
	public void onShardFailover(ShardFailoverEvent event) {
		reconfigureLater(event.to());
	}

	private void reconfigureLater(NodeAddress master) {
		execute(() -> reconfigure(master));
	}

	private void execute(Runnable task) {
		BackgroundThreads.executeUnlessStopping(this.executor, task);
	}

	/**
	 * Apply Spring Session's action to the current master, retrying briefly while it settles after a switch.
	 * @param master the new master, for the log
	 * @return whether the notifications are set (or none are needed)
	 */
	public boolean reconfigure(NodeAddress master) {
		ConfigureRedisAction configure = this.action.get();
		if (configure == null || configure == ConfigureRedisAction.NO_OP) {
			return true;
		}
		Duration pause = FIRST_RETRY;
		String problem = null;
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				if (connection instanceof RedisClusterConnection cluster
						&& configure instanceof ConfigureNotifyKeyspaceEventsAction) {
					configureNode(cluster, new RedisClusterNode(master.host(), master.port()));
				}
				else {
					configure.configure(connection);
				}
				logger.info("Set the keyspace notifications Spring Session needs on the master " + master);
				return true;
			}
			catch (RuntimeException ex) {
				problem = RedisErrors.describe(ex);
				if (isConfigDisabled(ex)) {
					break;
				}
				if (!BackgroundThreads.pause(pause)) {
					break;
				}
				pause = pause.multipliedBy(2);
			}
		}
		logger.warn("Could not set notify-keyspace-events on the new master " + master + " (" + problem + "): "
				+ "Spring Session will miss session expiry and deletion events from it. If CONFIG is disabled on "
				+ "the servers, set 'notify-keyspace-events Egx' in the redis.conf of every node (it is not "
				+ "replicated) and spring.session.data.redis.configure-action=none");
		return false;
	}

	/**
	 * Do what Spring Session's action does, on one node of a cluster: through a cluster connection the action
	 * compares with the setting of whichever node answers first, and so may leave the new master as it is.
	 */
	private static void configureNode(RedisClusterConnection cluster, RedisClusterNode node) {
		Properties config = cluster.serverCommands().getConfig(node, NOTIFY_KEYSPACE_EVENTS);
		String current = (config != null) ? config.getProperty(NOTIFY_KEYSPACE_EVENTS, "") : "";
		String needed = withSessionEvents(current);
		if (!needed.equals(current)) {
			cluster.serverCommands().setConfig(node, NOTIFY_KEYSPACE_EVENTS, needed);
		}
	}

	/**
	 * Return the flags with those Spring Session's indexed repository needs added, as its
	 * {@code ConfigureNotifyKeyspaceEventsAction} adds them (its own method is private): keyevent notifications
	 * ({@code E}) of generic commands ({@code g}) and expiries ({@code x}), both implied by {@code A}.
	 */
	static String withSessionEvents(String flags) {
		String needed = flags.contains("E") ? flags : flags + "E";
		boolean all = needed.contains("A");
		if (!all && !needed.contains("g")) {
			needed += "g";
		}
		if (!all && !needed.contains("x")) {
			needed += "x";
		}
		return needed;
	}

	private static boolean isConfigDisabled(RuntimeException ex) {
		// Spring Session's own message when CONFIG GET is refused; the server's when CONFIG is renamed away.
		return (ex instanceof IllegalStateException && String.valueOf(ex.getMessage()).contains("keyspace notifications"))
				|| RedisErrors.describe(ex).contains("unknown command");
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
