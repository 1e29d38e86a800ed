package dev.haredis.cluster;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Lettuce connection factory for a Redis Cluster whose slot map the {@link ClusterMonitor} keeps: Lettuce's own
 * periodic refresh is off (the monitor polls), and its adaptive refresh triggers (redirections, uncovered slots,
 * unknown nodes, reconnects) each ask the monitor for one fresh poll instead of asking every node.
 */
public class ClusterLettuceConnectionFactory extends LettuceConnectionFactory {

	private final ClusterMonitor monitor;

	private final Duration adaptiveRefreshTimeout;

	private final Duration retryWhileDown;

	/**
	 * Create a factory.
	 * @param cluster the seed nodes, credentials and most redirections
	 * @param client the client configuration (TLS, timeouts, resources, options)
	 * @param monitor the monitor that keeps the slot map
	 * @param adaptiveRefreshTimeout the least time between two refreshes Lettuce starts itself
	 * @param retryWhileDown how long a command the cluster refuses for a moment ({@code CLUSTERDOWN},
	 * {@code TRYAGAIN}) is sent again; zero sends it once
	 */
	public ClusterLettuceConnectionFactory(RedisClusterConfiguration cluster, LettuceClientConfiguration client,
			ClusterMonitor monitor, Duration adaptiveRefreshTimeout, Duration retryWhileDown) {
		super(cluster, client);
		this.monitor = monitor;
		this.adaptiveRefreshTimeout = adaptiveRefreshTimeout;
		this.retryWhileDown = retryWhileDown;
	}

	@Override
	protected AbstractRedisClient createClient() {
		LettuceClientConfiguration configuration = getClientConfiguration();
		List<RedisURI> seeds = getClusterConfiguration().getClusterNodes()
			.stream()
			.map((node) -> uri(node, configuration))
			.toList();
		HaRedisClusterClient client = new HaRedisClusterClient(configuration.getClientResources().orElse(null), seeds,
				this.monitor, retryBudget(configuration.getCommandTimeout()));
		client.setOptions(options(configuration.getClientOptions().orElseGet(ClientOptions::create)));
		return client;
	}

	/**
	 * Never retry longer than the command timeout: each round has a timeout of its own, so a caller that does not
	 * wait with one (async, reactive) would otherwise wait the whole retry budget and one more round.
	 */
	private Duration retryBudget(Duration commandTimeout) {
		return (commandTimeout.compareTo(this.retryWhileDown) < 0) ? commandTimeout : this.retryWhileDown;
	}

	private ClusterClientOptions options(ClientOptions options) {
		ClusterClientOptions.Builder builder = (options instanceof ClusterClientOptions cluster) ? cluster.mutate()
				: ClusterClientOptions.builder(options);
		Integer maxRedirects = getClusterConfiguration().getMaxRedirects();
		if (maxRedirects != null) {
			builder.maxRedirects(maxRedirects);
		}
		return builder.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
			.enablePeriodicRefresh(false)
			.enableAllAdaptiveRefreshTriggers()
			.adaptiveRefreshTriggersTimeout(this.adaptiveRefreshTimeout)
			.closeStaleConnections(true)
			.build()).build();
	}

	private RedisURI uri(RedisNode node, LettuceClientConfiguration configuration) {
		RedisURI.Builder builder = RedisURI.builder()
			.withHost(node.getRequiredHost())
			.withPort(node.getRequiredPort())
			.withSsl(configuration.isUseSsl())
			.withVerifyPeer(configuration.getVerifyMode())
			.withStartTls(configuration.isStartTls())
			.withTimeout(configuration.getCommandTimeout());
		configuration.getClientName().ifPresent(builder::withClientName);
		RedisClusterConfiguration cluster = getClusterConfiguration();
		if (cluster.getPassword().isPresent()) {
			char[] password = cluster.getPassword().get();
			if (cluster.getUsername() != null) {
				builder.withAuthentication(cluster.getUsername(), password);
			}
			else {
				builder.withPassword(password);
			}
		}
		return builder.build();
	}

}
