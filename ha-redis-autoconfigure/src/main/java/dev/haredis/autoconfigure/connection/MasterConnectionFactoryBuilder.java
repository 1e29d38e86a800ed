package dev.haredis.autoconfigure.connection;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

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

import dev.haredis.connection.LettuceSslOptions;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.connection.MasterRouting;
import dev.haredis.connection.ReadOnlyReplyListener;
import dev.haredis.topology.SentinelTopology;

/**
 * Builds the connection factories that go to the topology's master, all from the same connection details,
 * properties and Spring Boot Lettuce customizers: the application's own, and one per purpose (cache, sessions,
 * messaging) whose unset settings fall back to the top-level ones.
 */
public final class MasterConnectionFactoryBuilder {

	private static final boolean COMMONS_POOL2_AVAILABLE = ClassUtils
		.isPresent("org.apache.commons.pool2.ObjectPool", MasterConnectionFactoryBuilder.class.getClassLoader());

	private final HaRedisConnectionDetails details;

	private final HaRedisProperties properties;

	private final BootRedisSettings bootSettings;

	private final SentinelTopology topology;

	private final MasterRouting routing;

	private final ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers;

	private final ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers;

	private final List<ConnectionPurpose> purposes = new CopyOnWriteArrayList<>();

	MasterConnectionFactoryBuilder(HaRedisConnectionDetails details, HaRedisProperties properties,
			BootRedisSettings bootSettings, SentinelTopology topology, MasterRouting routing,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		this.details = details;
		this.properties = properties;
		this.bootSettings = bootSettings;
		this.topology = topology;
		this.routing = routing;
		this.configurationCustomizers = configurationCustomizers;
		this.optionsCustomizers = optionsCustomizers;
	}

	/**
	 * Build the application's factory: one shared native connection, as Spring Boot's, and a pool of dedicated
	 * connections (for blocking commands and transactions) when Boot would pool its own.
	 */
	MasterLettuceConnectionFactory shared() {
		return create(bootBuilder(), topLevel());
	}

	/**
	 * Build the factory of one purpose, with one shared native connection (and a pool, as {@link #shared()}).
	 * @param purpose the purpose's properties
	 * @param effectiveKeyPrefix the prefix of every key the purpose writes, all settings considered, or
	 * {@code null} when its keys have none (or when it writes no keys, see {@code storesKeys})
	 * @param storesKeys whether the purpose writes keys at all (pub/sub alone does not)
	 * @return the factory
	 */
	public MasterLettuceConnectionFactory purpose(ConnectionPurposeProperties purpose,
			@Nullable String effectiveKeyPrefix, boolean storesKeys) {
		return purpose(purpose, effectiveKeyPrefix, storesKeys, bootBuilder());
	}

	/**
	 * Build the factory of a purpose whose callers each hold a connection of their own for long (subscribers,
	 * workers reading with {@code BLOCK}), with one shared native connection and never pooled: a bounded pool
	 * would leave the callers beyond its size waiting.
	 * @param purpose the purpose's properties
	 * @param effectiveKeyPrefix as for {@link #purpose}
	 * @param storesKeys whether the purpose writes keys at all (pub/sub alone does not)
	 * @return the factory
	 */
	public MasterLettuceConnectionFactory unpooledPurpose(ConnectionPurposeProperties purpose,
			@Nullable String effectiveKeyPrefix, boolean storesKeys) {
		return purpose(purpose, effectiveKeyPrefix, storesKeys, LettuceClientConfiguration.builder());
	}

	private MasterLettuceConnectionFactory purpose(ConnectionPurposeProperties purpose,
			@Nullable String effectiveKeyPrefix, boolean storesKeys, LettuceClientConfigurationBuilder builder) {
		ConnectionSettings settings = forPurpose(purpose);
		MasterLettuceConnectionFactory factory = create(builder, settings);
		this.purposes.add(new ConnectionPurpose(purpose.purposeName(), settings.database(), effectiveKeyPrefix,
				storesKeys, !settings.sameServerSideAs(topLevel()), factory));
		return factory;
	}

	/**
	 * Build a factory of a purpose whose connections are each used by one caller at a time (for {@code WAIT} and
	 * other blocking commands), pooled when commons-pool2 is there.
	 * @param purpose the purpose's properties
	 * @param poolSize the most connections
	 * @return the factory
	 */
	public MasterLettuceConnectionFactory dedicatedPurpose(ConnectionPurposeProperties purpose, int poolSize) {
		return dedicated(forPurpose(purpose), poolSize);
	}

	/**
	 * Return the purposes built so far.
	 * @return the purposes
	 */
	List<ConnectionPurpose> purposes() {
		return List.copyOf(this.purposes);
	}

	/**
	 * Build a factory whose connections are each used by one caller at a time, pooled when commons-pool2 is there.
	 */
	MasterLettuceConnectionFactory dedicated(int poolSize) {
		return dedicated(topLevel(), poolSize);
	}

	private MasterLettuceConnectionFactory dedicated(ConnectionSettings settings, int poolSize) {
		LettuceClientConfigurationBuilder builder = COMMONS_POOL2_AVAILABLE ? Pooling.builder(poolSize)
				: LettuceClientConfiguration.builder();
		MasterLettuceConnectionFactory factory = create(builder, settings);
		factory.setShareNativeConnection(false);
		return factory;
	}

	/**
	 * Return a builder for the factories that replace Spring Boot's, pooled with
	 * {@code spring.data.redis.lettuce.pool.*} when Boot would pool its own.
	 */
	private LettuceClientConfigurationBuilder bootBuilder() {
		DataRedisProperties.Pool pool = this.bootSettings.pool();
		return (pool != null) ? Pooling.builder(pool) : LettuceClientConfiguration.builder();
	}

	private ConnectionSettings topLevel() {
		return new ConnectionSettings(this.details.getDatabase(), this.bootSettings.timeout(),
				this.bootSettings.clientName(), this.details.getUsername(), this.details.getPassword());
	}

	private ConnectionSettings forPurpose(ConnectionPurposeProperties purpose) {
		ConnectionSettings top = topLevel();
		// the values were checked when the purpose's properties were bound
		Integer database = purpose.getDatabase();
		// Credentials go together: a purpose with its own username does not inherit the top-level password.
		boolean ownCredentials = purpose.getUsername() != null || purpose.getPassword() != null;
		return new ConnectionSettings((database != null) ? database : top.database(),
				(purpose.getTimeout() != null) ? purpose.getTimeout() : top.timeout(),
				(purpose.getClientName() != null) ? purpose.getClientName() : top.clientName(),
				ownCredentials ? purpose.getUsername() : top.username(),
				ownCredentials ? purpose.getPassword() : top.password());
	}

	private MasterLettuceConnectionFactory create(LettuceClientConfigurationBuilder builder,
			ConnectionSettings settings) {
		ClientOptions.Builder options = clientOptions(this.details.getSslBundle(), this.properties,
				this.bootSettings);
		this.optionsCustomizers.orderedStream().forEach((customizer) -> customizer.customize(options));
		if (this.details.getSslBundle() != null) {
			// Certificate chain and host name (the master's own, see MasterRoutingSocketAddressResolver).
			builder.useSsl().verifyPeer(SslVerifyMode.FULL);
		}
		if (settings.timeout() != null) {
			builder.commandTimeout(settings.timeout());
		}
		if (StringUtils.hasText(settings.clientName())) {
			builder.clientName(settings.clientName());
		}
		if (!this.bootSettings.shutdownTimeout().isZero()) {
			builder.shutdownTimeout(this.bootSettings.shutdownTimeout());
		}
		builder.clientOptions(options.build());
		builder.clientResources(this.routing.getClientResources());
		this.configurationCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		MasterLettuceConnectionFactory factory = new MasterLettuceConnectionFactory(builder.build(),
				settings.username(), settings.password(), settings.database(), new ReadOnlyReplyListener(this.topology));
		if (this.bootSettings.virtualThreads()) {
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
		ClientOptions.Builder builder = ClientOptions.builder()
			.socketOptions(socketOptions(properties, bootSettings.connectTimeout()))
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
	 * What a connection factory connects with.
	 */
	private record ConnectionSettings(int database, @Nullable Duration timeout, @Nullable String clientName,
			@Nullable String username, @Nullable String password) {

		/**
		 * Whether the server accepts these settings whenever it accepts the other ones.
		 */
		boolean sameServerSideAs(ConnectionSettings other) {
			return this.database == other.database && Objects.equals(this.username, other.username)
					&& Objects.equals(this.password, other.password);
		}

		@Override
		public String toString() {
			return "ConnectionSettings[database=" + this.database + ", timeout=" + this.timeout + ", clientName="
					+ this.clientName + ", username=" + this.username + ", password="
					+ ((this.password != null) ? "****" : null) + "]";
		}

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
