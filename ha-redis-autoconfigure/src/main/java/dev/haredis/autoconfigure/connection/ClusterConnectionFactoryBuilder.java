package dev.haredis.autoconfigure.connection;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.haredis.cluster.ClusterLettuceConnectionFactory;
import dev.haredis.cluster.ClusterMonitor;

/**
 * Builds the connection factories of a Redis Cluster: each one's slot map is kept by the one
 * {@link ClusterMonitor}, and each connects to the seeds with its own credentials, timeout and client name (the
 * database is always 0, see {@link ClusterConnectionSettings}).
 */
final class ClusterConnectionFactoryBuilder extends ConnectionFactoryBuilder {

	private final ClusterConnectionSettings cluster;

	private final HaRedisClusterProperties clusterProperties;

	private final ClusterMonitor monitor;

	private final ClientResources resources;

	ClusterConnectionFactoryBuilder(ClusterConnectionSettings cluster, HaRedisClusterProperties clusterProperties,
			ClusterMonitor monitor, ClientResources resources, HaRedisProperties properties,
			BootRedisSettings bootSettings,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		this(new Customizers(properties, bootSettings, configurationCustomizers, optionsCustomizers), cluster,
				clusterProperties, monitor, resources,
				new ConnectionSettings(0, bootSettings.timeout(), bootSettings.clientName(), cluster.username(),
						cluster.password()),
				Sharing.AS_BOOT, 0);
	}

	private ClusterConnectionFactoryBuilder(Customizers customizers, ClusterConnectionSettings cluster,
			HaRedisClusterProperties clusterProperties, ClusterMonitor monitor, ClientResources resources,
			ConnectionSettings settings, Sharing sharing, int poolSize) {
		super(customizers, settings, sharing, poolSize);
		this.cluster = cluster;
		this.clusterProperties = clusterProperties;
		this.monitor = monitor;
		this.resources = resources;
	}

	@Override
	public boolean isCluster() {
		return true;
	}

	@Override
	ConnectionFactoryBuilder copy(ConnectionSettings settings, Sharing sharing, int poolSize) {
		return new ClusterConnectionFactoryBuilder(customizers(), this.cluster, this.clusterProperties, this.monitor,
				this.resources, settings, sharing, poolSize);
	}

	@Override
	ClientOptions.Builder newClientOptions() {
		return ClusterClientOptions.builder();
	}

	@Override
	@Nullable SslBundle sslBundle() {
		return this.cluster.sslBundle();
	}

	@Override
	ClientResources clientResources() {
		return this.resources;
	}

	@Override
	LettuceConnectionFactory create(LettuceClientConfiguration configuration, ConnectionSettings settings) {
		RedisClusterConfiguration seeds = new RedisClusterConfiguration(this.cluster.seeds()
			.stream()
			.map((seed) -> seed.host().contains(":") ? "[" + seed.host() + "]:" + seed.port()
					: seed.host() + ":" + seed.port())
			.toList());
		if (this.cluster.maxRedirects() != null) {
			seeds.setMaxRedirects(this.cluster.maxRedirects());
		}
		seeds.setUsername(settings.username());
		if (settings.password() != null) {
			seeds.setPassword(settings.password());
		}
		return new ClusterLettuceConnectionFactory(seeds, configuration, this.monitor,
				this.clusterProperties.getFastInterval(), this.clusterProperties.getRetryWhileDown());
	}

}
