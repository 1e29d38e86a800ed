package dev.haredis.queue;

/**
 * Makes error texts fit to store and to log: bounded in length, with a marker that says how much was cut, and
 * without the separator of a stored result. A handler's message may be long (a whole response body) or hold
 * whatever the handler put in it; the queue never adds payload content of its own.
 */
final class ErrorTexts {

	/**
	 * The longest error text stored in a result or a dead-letter entry.
	 */
	static final int STORED = 1_000;

	/**
	 * The longest error text written to the log.
	 */
	static final int LOGGED = 300;

	private static final String SEPARATOR = "\u001F";

	private ErrorTexts() {
	}

	/**
	 * Describe a failure: its class and message.
	 * @param failure the failure
	 * @return {@code class: message}, or the class alone when there is no message
	 */
	static String describe(Throwable failure) {
		String message = failure.getMessage();
		return (message != null) ? failure.getClass().getName() + ": " + message : failure.getClass().getName();
	}

	/**
	 * Return an error text fit to store: at most {@link #STORED} characters plus a marker, without the separator of
	 * a stored result.
	 * @param error the error
	 * @return the storable error
	 */
	static String storable(String error) {
		return truncate(error.replace(SEPARATOR, " "), STORED);
	}

	/**
	 * Return an error text fit to log: one line, at most {@link #LOGGED} characters plus a marker.
	 * @param error the error
	 * @return the loggable error
	 */
	static String loggable(String error) {
		return truncate(error.replace('\r', ' ').replace('\n', ' ').replace(SEPARATOR, " "), LOGGED);
	}

	static String truncate(String text, int max) {
		if (text.length() <= max) {
			return text;
		}
		// Never cut a surrogate pair in two.
		int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
		return text.substring(0, end) + "... [" + (text.length() - end) + " more characters]";
	}

}
