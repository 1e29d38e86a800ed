package dev.haredis.autoconfigure.connection;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;
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
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.connection.MasterRouting;
import dev.haredis.topology.SentinelTopology;

/**
 * Builds the connection factories that go to the topology's master, all from the same connection details,
 * properties and Spring Boot Lettuce customizers. The builder is immutable (each method but {@link #build()}
 * returns a copy), so the one bean serves every factory. As it comes, it builds the application's factory with the
 * top-level {@link ConnectionSettings}; {@link #withOverrides} gives the settings of a purpose (cache, sessions,
 * messaging, queue), {@link #unpooled()} and {@link #dedicated(int)} other ways of sharing connections.
 */
public final class MasterConnectionFactoryBuilder {

	private static final boolean COMMONS_POOL2_AVAILABLE = ClassUtils
		.isPresent("org.apache.commons.pool2.ObjectPool", MasterConnectionFactoryBuilder.class.getClassLoader());

	private final Collaborators collaborators;

	private final ConnectionSettings settings;

	private final Sharing sharing;

	private final int poolSize;

	MasterConnectionFactoryBuilder(HaRedisConnectionDetails details, HaRedisProperties properties,
			BootRedisSettings bootSettings, SentinelTopology topology, MasterRouting routing,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		this(new Collaborators(details, properties, bootSettings, topology, routing, configurationCustomizers,
				optionsCustomizers), ConnectionSettings.of(details, bootSettings), Sharing.AS_BOOT, 0);
	}

	private MasterConnectionFactoryBuilder(Collaborators collaborators, ConnectionSettings settings, Sharing sharing,
			int poolSize) {
		this.collaborators = collaborators;
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
	public MasterConnectionFactoryBuilder withOverrides(ConnectionSettings.Overrides overrides) {
		return new MasterConnectionFactoryBuilder(this.collaborators, this.settings.withOverrides(overrides),
				this.sharing, this.poolSize);
	}

	/**
	 * Return a builder whose factory is for callers that each hold a connection of their own for long
	 * (subscribers, workers reading with {@code BLOCK}): one shared native connection and never pooled, since a
	 * bounded pool would leave the callers beyond its size waiting.
	 * @return the builder
	 */
	public MasterConnectionFactoryBuilder unpooled() {
		return new MasterConnectionFactoryBuilder(this.collaborators, this.settings, Sharing.UNPOOLED, 0);
	}

	/**
	 * Return a builder whose factory's connections are each used by one caller at a time (for {@code WAIT} and
	 * other blocking commands): no shared native connection, pooled when commons-pool2 is there.
	 * @param poolSize the most connections
	 * @return the builder
	 */
	public MasterConnectionFactoryBuilder dedicated(int poolSize) {
		return new MasterConnectionFactoryBuilder(this.collaborators, this.settings, Sharing.DEDICATED, poolSize);
	}

	/**
	 * Build the factory. Unless {@link #unpooled()} or {@link #dedicated(int)} said otherwise it has, as Spring
	 * Boot's, one shared native connection, and a pool of dedicated connections (for blocking commands and
	 * transactions) when Boot would pool its own ({@code spring.data.redis.lettuce.pool.*}).
	 * @return the factory, not yet initialized
	 */
	public MasterLettuceConnectionFactory build() {
		return switch (this.sharing) {
			case AS_BOOT -> create(bootBuilder());
			case UNPOOLED -> create(LettuceClientConfiguration.builder());
			case DEDICATED -> {
				MasterLettuceConnectionFactory factory = create(COMMONS_POOL2_AVAILABLE
						? Pooling.builder(this.poolSize) : LettuceClientConfiguration.builder());
				factory.setShareNativeConnection(false);
				yield factory;
			}
		};
	}

	private LettuceClientConfigurationBuilder bootBuilder() {
		return bootBuilder(this.collaborators.bootSettings());
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

	private MasterLettuceConnectionFactory create(LettuceClientConfigurationBuilder builder) {
		Collaborators from = this.collaborators;
		BootRedisSettings bootSettings = from.bootSettings();
		ClientOptions.Builder options = clientOptions(from.details().getSslBundle(), from.properties(),
				bootSettings);
		from.optionsCustomizers().orderedStream().forEach((customizer) -> customizer.customize(options));
		if (from.details().getSslBundle() != null) {
			// Certificate chain and host name (the master's own, see MasterRoutingSocketAddressResolver).
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
		builder.clientResources(from.routing().getClientResources());
		from.configurationCustomizers().orderedStream().forEach((customizer) -> customizer.customize(builder));
		MasterLettuceConnectionFactory factory = new MasterLettuceConnectionFactory(builder.build(),
				this.settings.username(), this.settings.password(), this.settings.database());
		if (bootSettings.virtualThreads()) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("redis-");
			executor.setVirtualThreads(true);
			factory.setExecutor(executor);
		}
		return factory;
	}

	/**
	 * Return the client options every ha-redis connection starts from: socket options (connect timeout,
	 * keep-alive, TCP_USER_TIMEOUT where the transport supports it), TLS and command timeouts.
	 * @param sslBundle the TLS material of the side connected to (sentinels or data nodes), or {@code null}
	 * @param properties the properties
	 */
	static ClientOptions.Builder clientOptions(@Nullable SslBundle sslBundle, HaRedisProperties properties,
			BootRedisSettings bootSettings) {
		return clientOptions(ClientOptions.builder(), sslBundle, properties, bootSettings);
	}

	/**
	 * Set the options every ha-redis connection starts from on a builder (a cluster client's, for example).
	 * @param <B> the builder's type
	 * @param builder the builder
	 * @param sslBundle the TLS material of the side connected to, or {@code null}
	 * @param properties the properties
	 * @param bootSettings Spring Boot's settings
	 * @return the builder
	 */
	static <B extends ClientOptions.Builder> B clientOptions(B builder, @Nullable SslBundle sslBundle,
			HaRedisProperties properties, BootRedisSettings bootSettings) {
		builder.socketOptions(socketOptions(properties, bootSettings.connectTimeout()))
			.timeoutOptions(TimeoutOptions.enabled());
		if (sslBundle != null) {
			builder.sslOptions(LettuceSslOptions.from(sslBundle));
		}
		return builder;
	}

	private static SocketOptions socketOptions(HaRedisProperties properties, Duration connectTimeout) {
		HaRedisProperties.Socket socket = properties.getSocket();
		SocketOptions.Builder builder = SocketOptions.builder()
			.connectTimeout(connectTimeout)
			.keepAlive(SocketOptions.KeepAliveOptions.builder()
				.enable(socket.isKeepAlive())
				.idle(socket.getKeepAliveIdle())
				.interval(socket.getKeepAliveInterval())
				.count(socket.getKeepAliveCount())
				.build());
		Duration tcpUserTimeout = socket.getTcpUserTimeout();
		// Lettuce refuses to connect when TCP_USER_TIMEOUT is asked for without a native transport.
		if (tcpUserTimeout != null && (EpollProvider.isAvailable() || IOUringProvider.isAvailable())) {
			builder.tcpUserTimeout(
					SocketOptions.TcpUserTimeoutOptions.builder().enable().tcpUserTimeout(tcpUserTimeout).build());
		}
		return builder.build();
	}

	/**
	 * How the factory's callers share its connections.
	 */
	private enum Sharing {

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
	 * What every factory is built from, whatever its settings.
	 */
	private record Collaborators(HaRedisConnectionDetails details, HaRedisProperties properties,
			BootRedisSettings bootSettings, SentinelTopology topology, MasterRouting routing,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {

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
