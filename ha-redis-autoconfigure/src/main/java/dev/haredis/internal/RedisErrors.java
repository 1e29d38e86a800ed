package dev.haredis.internal;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandTimeoutException;
import io.netty.channel.ConnectTimeoutException;

/**
 * Reads the errors that Lettuce and Redis report, to tell the user what went wrong in their own terms.
 */
public final class RedisErrors {

	private RedisErrors() {
	}

	/**
	 * Return the most specific message in the cause chain: the server's error reply when there is one.
	 * @param ex the failure
	 * @return its first line
	 */
	public static String describe(Throwable ex) {
		String message = null;
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (candidate.getMessage() != null) {
				message = candidate.getMessage();
			}
		}
		return (message != null) ? message.lines().findFirst().orElse(message) : ex.getClass().getSimpleName();
	}

	/**
	 * Whether a server refused the credentials (or their permissions).
	 * @param reason a {@link #describe(Throwable) described} failure
	 * @return whether it is an authentication error
	 */
	public static boolean isAuthenticationError(String reason) {
		return reason.startsWith("WRONGPASS") || reason.startsWith("NOAUTH") || reason.startsWith("NOPERM")
				|| reason.startsWith("ERR AUTH") || reason.startsWith("ERR invalid password")
				|| reason.contains("-WRONGPASS") || reason.contains("-NOAUTH");
	}

	/**
	 * Whether a failure says the server could not be reached at all (refused, unresolvable, no answer in time, or
	 * a connection dropped before any reply, as a port-forwarding proxy does when nothing is behind it), as opposed
	 * to a server that answered with an error.
	 * @param ex the failure
	 * @return whether the server was unreachable
	 */
	public static boolean isUnreachable(Throwable ex) {
		String reason = describe(ex);
		return hasCause(ex, ConnectException.class) || hasCause(ex, UnknownHostException.class) || isTimeout(ex)
				|| reason.contains("Connection reset") || reason.contains("Connection closed prematurely")
				|| reason.startsWith("Could not connect");
	}

	/**
	 * Whether a failure is a timeout: of the connection or of a command.
	 * @param ex the failure
	 * @return whether it timed out
	 */
	public static boolean isTimeout(Throwable ex) {
		return hasCause(ex, ConnectTimeoutException.class) || hasCause(ex, RedisCommandTimeoutException.class)
				|| hasCause(ex, TimeoutException.class);
	}

	/**
	 * Whether the cause chain holds an exception of a type.
	 * @param ex the failure
	 * @param type the type
	 * @return whether one of the causes is of that type
	 */
	public static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a TLS handshake failed because the server's certificate, although trusted, does not name the host
	 * connected to (host name verification).
	 * @param ex the failure
	 * @return whether the certificate names another host
	 */
	public static boolean isHostNameMismatch(Throwable ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			String message = candidate.getMessage();
			// The JDK's host name checker: "No subject alternative names matching IP address ... found",
			// "No subject alternative DNS name matching ... found", "No name matching ... found".
			if (candidate instanceof CertificateException && message != null
					&& (message.startsWith("No subject alternative") || message.startsWith("No name matching"))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Describe a {@linkplain #isHostNameMismatch host name mismatch}, for a report or a health problem.
	 * @param host the host connected to
	 * @param ex the failure
	 * @return "TLS certificate does not name the host '...': " and the failure
	 */
	public static String describeHostNameMismatch(String host, Throwable ex) {
		return "TLS certificate does not name the host '" + host + "': " + describe(ex);
	}

	/**
	 * Whether a server refused to select a database it does not have.
	 * @param reason a {@link #describe(Throwable) described} failure
	 * @return whether the database index is out of range
	 */
	public static boolean isDatabaseOutOfRange(String reason) {
		return reason.contains("DB index is out of range");
	}

}
