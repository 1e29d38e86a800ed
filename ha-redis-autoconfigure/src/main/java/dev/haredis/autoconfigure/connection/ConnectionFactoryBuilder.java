package dev.haredis.autoconfigure.connection;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Builds the connection factories of the application and of each purpose (cache, sessions, messaging, queue), all
 * from the same connection details, properties and Spring Boot Lettuce customizers, whatever the topology: the
 * master a Sentinel topology verified ({@link MasterConnectionFactoryBuilder}) or a Redis Cluster whose slot map
 * the cluster monitor keeps. The builder is immutable (each method but {@link #build()} returns a copy), so the one
 * bean serves every factory. As it comes, it builds the application's factory with the top-level
 * {@link ConnectionSettings}; {@link #withOverrides} gives the settings of a purpose, {@link #unpooled()} and
 * {@link #dedicated(int)} other ways of sharing connections.
 */
public abstract class ConnectionFactoryBuilder {

	private static final boolean COMMONS_POOL2_AVAILABLE = ClassUtils
		.isPresent("org.apache.commons.pool2.ObjectPool", ConnectionFactoryBuilder.class.getClassLoader());

	private final Customizers customizers;

	private final ConnectionSettings settings;

	private final Sharing sharing;

	private final int poolSize;

	ConnectionFactoryBuilder(Customizers customizers, ConnectionSettings settings, Sharing sharing, int poolSize) {
		this.customizers = customizers;
		this.settings = settings;
		this.sharing = sharing;
		this.poolSize = poolSize;
	}

	/**
	 * Return the settings the factory is built with: the top-level ones unless {@link #withOverrides} said
	 * otherwise.
	 * @return the settings
	 */
	public ConnectionSettings settings() {
		return this.settings;
	}

	/**
	 * Return a builder whose factory connects with these settings and those the overrides set in their place (see
	 * {@link ConnectionSettings#withOverrides}).
	 * @param overrides the settings to use instead, for example a purpose's properties
	 * @return the builder
	 */
	public ConnectionFactoryBuilder withOverrides(ConnectionSettings.Overrides overrides) {
		return copy(this.settings.withOverrides(overrides), this.sharing, this.poolSize);
	}

	/**
	 * Return a builder whose factory is for callers that each hold a connection of their own for long
	 * (subscribers, workers reading with {@code BLOCK}): one shared native connection and never pooled, since a
	 * bounded pool would leave the callers beyond its size waiting.
	 * @return the builder
	 */
	public ConnectionFactoryBuilder unpooled() {
		return copy(this.settings, Sharing.UNPOOLED, 0);
	}

	/**
	 * Return a builder whose factory's connections are each used by one caller at a time (for {@code WAIT} and
	 * other blocking commands): no shared native connection, pooled when commons-pool2 is there.
	 * @param poolSize the most connections
	 * @return the builder
	 */
	public ConnectionFactoryBuilder dedicated(int poolSize) {
		return copy(this.settings, Sharing.DEDICATED, poolSize);
	}

	/**
	 * Whether the factories go to a Redis Cluster (database 0 only, keys of one multi-key command in one slot).
	 * @return whether the topology is a cluster
	 */
	public abstract boolean isCluster();

	/**
	 * Build the factory. Unless {@link #unpooled()} or {@link #dedicated(int)} said otherwise it has, as Spring
	 * Boot's, one shared native connection, and a pool of dedicated connections (for blocking commands and
	 * transactions) when Boot would pool its own ({@code spring.data.redis.lettuce.pool.*}).
	 * @return the factory, not yet initialized
	 */
	public LettuceConnectionFactory build() {
		BootRedisSettings bootSettings = this.customizers.bootSettings();
		LettuceClientConfigurationBuilder builder = switch (this.sharing) {
			case AS_BOOT -> bootBuilder(bootSettings);
			case UNPOOLED -> LettuceClientConfiguration.builder();
			case DEDICATED -> COMMONS_POOL2_AVAILABLE ? Pooling.builder(this.poolSize)
					: LettuceClientConfiguration.builder();
		};
		ClientOptions.Builder options = LettuceClientOptions.clientOptions(newClientOptions(), sslBundle(),
				this.customizers.properties(), bootSettings);
		this.customizers.options().orderedStream().forEach((customizer) -> customizer.customize(options));
		if (sslBundle() != null) {
			// Certificate chain and host name (the node's own).
			builder.useSsl().verifyPeer(SslVerifyMode.FULL);
		}
		if (this.settings.timeout() != null) {
			builder.commandTimeout(this.settings.timeout());
		}
		if (StringUtils.hasText(this.settings.clientName())) {
			builder.clientName(this.settings.clientName());
		}
		if (!bootSettings.shutdownTimeout().isZero()) {
			builder.shutdownTimeout(bootSettings.shutdownTimeout());
		}
		builder.clientOptions(options.build());
		builder.clientResources(clientResources());
		this.customizers.configurations().orderedStream().forEach((customizer) -> customizer.customize(builder));
		LettuceConnectionFactory factory = create(builder.build(), this.settings);
		if (this.sharing == Sharing.DEDICATED) {
			factory.setShareNativeConnection(false);
		}
		if (bootSettings.virtualThreads()) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("redis-");
			executor.setVirtualThreads(true);
			factory.setExecutor(executor);
		}
		return factory;
	}

	/**
	 * Return a builder of this kind with other settings or sharing.
	 */
	abstract ConnectionFactoryBuilder copy(ConnectionSettings settings, Sharing sharing, int poolSize);

	/**
	 * Return the client options builder of this topology's client, for example cluster options.
	 */
	abstract ClientOptions.Builder newClientOptions();

	/**
	 * Return the TLS material of the data nodes, or {@code null} for plain text.
	 */
	abstract @Nullable SslBundle sslBundle();

	/**
	 * Return the client resources every factory's client shares.
	 */
	abstract ClientResources clientResources();

	/**
	 * Create the factory of this topology.
	 * @param configuration the client configuration, complete
	 * @param settings the settings to log in with
	 */
	abstract LettuceConnectionFactory create(LettuceClientConfiguration configuration, ConnectionSettings settings);

	Customizers customizers() {
		return this.customizers;
	}

	/**
	 * Return a client configuration builder pooled as Spring Boot pools its own factory
	 * ({@code spring.data.redis.lettuce.pool.*}), or not pooled.
	 * @param bootSettings Spring Boot's settings
	 * @return the builder
	 */
	static LettuceClientConfigurationBuilder bootBuilder(BootRedisSettings bootSettings) {
		DataRedisProperties.Pool pool = bootSettings.pool();
		return (pool != null) ? Pooling.builder(pool) : LettuceClientConfiguration.builder();
	}

	/**
	 * How the factory's callers share its connections.
	 */
	enum Sharing {

		/**
		 * One shared native connection, and a pool when Spring Boot would pool its own factory.
		 */
		AS_BOOT,

		/**
		 * One shared native connection, never pooled.
		 */
		UNPOOLED,

		/**
		 * No shared native connection; pooled when commons-pool2 is there.
		 */
		DEDICATED

	}

	/**
	 * What customizes every factory, whatever its topology and settings.
	 *
	 * @param properties the properties
	 * @param bootSettings Spring Boot's client settings
	 * @param configurations Spring Boot's client configuration customizers
	 * @param options Spring Boot's client options customizers
	 */
	record Customizers(HaRedisProperties properties, BootRedisSettings bootSettings,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurations,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> options) {

	}

	/**
	 * Keeps commons-pool2 types out of the builder, which must load without them.
	 */
	private static final class Pooling {

		static LettuceClientConfigurationBuilder builder(int poolSize) {
			GenericObjectPoolConfig<StatefulConnection<?, ?>> pool = new GenericObjectPoolConfig<>();
			pool.setMaxTotal(poolSize);
			pool.setMaxIdle(poolSize);
			return LettucePoolingClientConfiguration.builder().poolConfig(pool);
		}

		/**
		 * Return a builder pooled as Spring Boot pools its own factory.
		 */
		static LettuceClientConfigurationBuilder builder(DataRedisProperties.Pool properties) {
			GenericObjectPoolConfig<StatefulConnection<?, ?>> pool = new GenericObjectPoolConfig<>();
			pool.setMaxTotal(properties.getMaxActive());
			pool.setMaxIdle(properties.getMaxIdle());
			pool.setMinIdle(properties.getMinIdle());
			if (properties.getTimeBetweenEvictionRuns() != null) {
				pool.setTimeBetweenEvictionRuns(properties.getTimeBetweenEvictionRuns());
			}
			if (properties.getMaxWait() != null) {
				pool.setMaxWait(properties.getMaxWait());
			}
			return LettucePoolingClientConfiguration.builder().poolConfig(pool);
		}

	}

}
