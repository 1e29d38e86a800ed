package dev.haredis.topology;

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
	 * Whether a server refused to select a database it does not have.
	 * @param reason a {@link #describe(Throwable) described} failure
	 * @return whether the database index is out of range
	 */
	public static boolean isDatabaseOutOfRange(String reason) {
		return reason.contains("DB index is out of range");
	}

}
