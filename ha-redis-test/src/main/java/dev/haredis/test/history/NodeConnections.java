package dev.haredis.test.history;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.haredis.test.RespConnection;
import org.jspecify.annotations.Nullable;

/**
 * Opens the recorder's connections (authenticated, over TLS when so configured) and describes their failures.
 */
final class NodeConnections {

	/** The timeout of the probe, which runs once before the recording starts. */
	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

	private NodeConnections() {
	}

	/**
	 * Open a connection to a node with the recording's socket timeout.
	 * @param settings the recording's settings
	 * @param address the node's {@code host:port}
	 * @param sentinel whether the node is a sentinel (else a data node)
	 * @return the open, authenticated connection
	 */
	static RespConnection open(RecorderSettings settings, String address, boolean sentinel) {
		return open(settings, address, sentinel, settings.socketTimeout());
	}

	private static RespConnection open(RecorderSettings settings, String address, boolean sentinel,
			Duration timeout) {
		int colon = address.lastIndexOf(':');
		String host = address.substring(0, colon);
		int port = Integer.parseInt(address.substring(colon + 1));
		RespConnection connection = RespConnection.open(host, port, timeout,
				sentinel ? settings.sentinelTls() : settings.dataTls());
		String password = sentinel ? settings.sentinelPassword() : settings.password();
		if (password != null) {
			try {
				connection.command("AUTH", password);
			}
			catch (RespConnection.RespErrorException ex) {
				connection.close();
				throw new IllegalStateException("AUTH failed: " + ex.getMessage(), ex);
			}
			catch (RuntimeException ex) {
				// a timeout or a lost connection, described as such
				connection.close();
				throw ex;
			}
		}
		return connection;
	}

	/**
	 * Ask the first sentinel that answers for its version ({@code redis}) and its settings for the master
	 * ({@code SENTINEL MASTER} fields, such as {@code down-after-milliseconds}).
	 * @param settings the recording's settings
	 * @return what was found, empty when no sentinel answered
	 */
	static Map<String, String> probe(RecorderSettings settings) {
		for (String sentinel : settings.sentinels()) {
			try (RespConnection connection = open(settings, sentinel, true, PROBE_TIMEOUT)) {
				Map<String, String> found = new LinkedHashMap<>();
				for (String line : String.valueOf(connection.command("INFO", "server")).split("\r?\n")) {
					if (line.startsWith("redis_version:")) {
						found.put("redis", line.substring("redis_version:".length()).trim());
					}
				}
				List<?> master = (List<?>) Objects.requireNonNull(connection.command("SENTINEL", "MASTER",
						settings.masterName()));
				for (int i = 0; i + 1 < master.size(); i += 2) {
					found.put(String.valueOf(master.get(i)), String.valueOf(master.get(i + 1)));
				}
				return found;
			}
			catch (RuntimeException ex) {
				// try the next sentinel
			}
		}
		return Map.of();
	}

	/**
	 * Return a short, stable description of a failure, so that repeated failures are recorded once.
	 * @param failure the failure
	 * @return {@code timeout}, {@code connection refused}, a socket error, {@code connection closed}, an AUTH failure,
	 * or the exception's type and message
	 */
	static String describe(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return "timeout";
			}
			if (cause instanceof ConnectException) {
				return "connection refused";
			}
			if (cause instanceof SocketException && cause.getMessage() != null) {
				return cause.getMessage().toLowerCase(Locale.ROOT);
			}
			if ("Connection closed by server".equals(cause.getMessage())) {
				return "connection closed";
			}
			if (cause instanceof IllegalStateException && cause.getMessage() != null
					&& cause.getMessage().startsWith("AUTH failed")) {
				return cause.getMessage();
			}
		}
		return failure.getClass().getSimpleName() + ": " + failure.getMessage();
	}

	static void closeQuietly(@Nullable RespConnection connection) {
		if (connection != null) {
			connection.close();
		}
	}

}
