package dev.haredis.test;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A node of a test cluster as {@link ClusterFormation} talks to it: a local {@link RedisProcess}, or a server in a
 * container reached through a published port.
 */
public interface ClusterMember {

	/**
	 * Return the port the node listens on and announces to the others.
	 * @return the port
	 */
	int port();

	/**
	 * Send one command on a connection of its own.
	 * @param args the command and its arguments
	 * @return the reply
	 */
	@Nullable Object command(String... args);

	/**
	 * Send several commands on one connection.
	 * @param <T> the result type
	 * @param session what to do with the connection
	 * @return its result
	 */
	<T> T inSession(Function<RespConnection, T> session);

}
