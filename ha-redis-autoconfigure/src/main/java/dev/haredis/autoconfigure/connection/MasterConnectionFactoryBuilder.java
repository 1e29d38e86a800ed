package dev.haredis.autoconfigure.connection;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundle;
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
 * properties and Spring Boot Lettuce customizers.
 */
final class MasterConnectionFactoryBuilder {

	private static final boolean COMMONS_POOL2_AVAILABLE = ClassUtils
		.isPresent("org.apache.commons.pool2.ObjectPool", MasterConnectionFactoryBuilder.class.getClassLoader());

	private final HaRedisConnectionDetails details;

	private final HaRedisProperties properties;

	private final SentinelTopology topology;

	private final MasterRouting routing;

	private final ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers;

	private final ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers;

	MasterConnectionFactoryBuilder(HaRedisConnectionDetails details, HaRedisProperties properties,
			SentinelTopology topology, MasterRouting routing,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		this.details = details;
		this.properties = properties;
		this.topology = topology;
		this.routing = routing;
		this.configurationCustomizers = configurationCustomizers;
		this.optionsCustomizers = optionsCustomizers;
	}

	/**
	 * Build the application's factory: one shared native connection, as Spring Boot's.
	 */
	MasterLettuceConnectionFactory shared() {
		return create(LettuceClientConfiguration.builder());
	}

	/**
	 * Build a factory whose connections are each used by one caller at a time, pooled when commons-pool2 is there.
	 */
	MasterLettuceConnectionFactory dedicated(int poolSize) {
		LettuceClientConfigurationBuilder builder = COMMONS_POOL2_AVAILABLE ? Pooling.builder(poolSize)
				: LettuceClientConfiguration.builder();
		MasterLettuceConnectionFactory factory = create(builder);
		factory.setShareNativeConnection(false);
		return factory;
	}

	private MasterLettuceConnectionFactory create(LettuceClientConfigurationBuilder builder) {
		ClientOptions.Builder options = clientOptions(this.details, this.properties);
		this.optionsCustomizers.orderedStream().forEach((customizer) -> customizer.customize(options));
		if (this.details.getSslBundle() != null) {
			builder.useSsl();
		}
		if (this.properties.getTimeout() != null) {
			builder.commandTimeout(this.properties.getTimeout());
		}
		if (StringUtils.hasText(this.properties.getClientName())) {
			builder.clientName(this.properties.getClientName());
		}
		builder.clientOptions(options.build());
		builder.clientResources(this.routing.getClientResources());
		this.configurationCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return new MasterLettuceConnectionFactory(builder.build(), this.details.getUsername(),
				this.details.getPassword(), this.details.getDatabase(), new ReadOnlyReplyListener(this.topology));
	}

	/**
	 * Return the client options every ha-redis connection starts from: socket options (connect timeout,
	 * keep-alive, TCP_USER_TIMEOUT where the transport supports it), TLS and command timeouts.
	 */
	static ClientOptions.Builder clientOptions(HaRedisConnectionDetails details, HaRedisProperties properties) {
		ClientOptions.Builder builder = ClientOptions.builder()
			.socketOptions(socketOptions(properties))
			.timeoutOptions(TimeoutOptions.enabled());
		SslBundle sslBundle = details.getSslBundle();
		if (sslBundle != null) {
			builder.sslOptions(LettuceSslOptions.from(sslBundle));
		}
		return builder;
	}

	private static SocketOptions socketOptions(HaRedisProperties properties) {
		HaRedisProperties.Socket socket = properties.getSocket();
		SocketOptions.Builder builder = SocketOptions.builder()
			.connectTimeout(properties.getConnectTimeout())
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
	 * Keeps commons-pool2 types out of the builder, which must load without them.
	 */
	private static final class Pooling {

		static LettuceClientConfigurationBuilder builder(int poolSize) {
			GenericObjectPoolConfig<StatefulConnection<?, ?>> pool = new GenericObjectPoolConfig<>();
			pool.setMaxTotal(poolSize);
			pool.setMaxIdle(poolSize);
			return LettucePoolingClientConfiguration.builder().poolConfig(pool);
		}

	}

}
