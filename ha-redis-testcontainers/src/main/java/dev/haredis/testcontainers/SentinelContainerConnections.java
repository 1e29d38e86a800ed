package dev.haredis.testcontainers;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

import org.jspecify.annotations.Nullable;

import dev.haredis.test.LoopbackPartitions;
import dev.haredis.test.RespConnection;

/**
 * The topology's own connections to the servers and sentinels of a {@link RedisSentinelContainer}, through their
 * published ports; on Linux from {@value LoopbackPartitions#TEST_SOURCE_ADDRESS}, which cutting the application off
 * ({@link ContainerPartitions}) spares.
 */
final class SentinelContainerConnections {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private final IntUnaryOperator publishedPort;

	SentinelContainerConnections(IntUnaryOperator publishedPort) {
		this.publishedPort = publishedPort;
	}

	@Nullable Object command(int announcedPort, String... arguments) {
		return inSession(announcedPort, (connection) -> connection.command(arguments));
	}

	/**
	 * Run commands on one new connection: {@code WAIT} counts the writes of the connection it is sent on.
	 */
	<T> T inSession(int announcedPort, Function<RespConnection, T> session) {
		try (RespConnection connection = RespConnection.open("127.0.0.1",
				this.publishedPort.applyAsInt(announcedPort), COMMAND_TIMEOUT, null,
				LocalRedisImage.isLinux() ? LoopbackPartitions.TEST_SOURCE_ADDRESS : null)) {
			return session.apply(connection);
		}
	}

}
