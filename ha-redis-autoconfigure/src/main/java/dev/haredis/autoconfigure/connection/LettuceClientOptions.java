package dev.haredis.autoconfigure.connection;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;

/**
 * The Lettuce client options every ha-redis connection starts from, whatever it connects to: the sentinels, the
 * data nodes of either topology, the cluster monitor's nodes.
 */
final class LettuceClientOptions {

	private LettuceClientOptions() {
	}

	/**
	 * Return the client options every ha-redis connection starts from: socket options (connect timeout,
	 * keep-alive, TCP_USER_TIMEOUT where the transport supports it), TLS and command timeouts.
	 * @param sslBundle the TLS material of the side connected to (sentinels or data nodes), or {@code null}
	 * @param properties the properties
	 * @param bootSettings Spring Boot's settings
	 * @return the options builder
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

}
