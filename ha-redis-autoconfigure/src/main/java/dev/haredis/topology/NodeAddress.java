package dev.haredis.topology;

import java.util.Locale;

import org.springframework.util.Assert;

/**
 * The address of a Redis server or sentinel.
 *
 * @param host the host name or IP address (an IPv6 address without brackets), kept in lower case
 * @param port the port
 */
public record NodeAddress(String host, int port) {

	/** The port sentinels listen on unless told otherwise. */
	public static final int DEFAULT_SENTINEL_PORT = 26379;

	public NodeAddress {
		Assert.hasText(host, "'host' must not be empty");
		// Host names are case-insensitive: one server named two ways must be one node (followed once, counted once).
		host = host.toLowerCase(Locale.ROOT);
		Assert.isTrue(port > 0 && port <= 65535, () -> "'port' must be between 1 and 65535, was " + port);
	}

	/**
	 * Parse {@code host:port}, {@code [ipv6]:port}, or a bare {@code host} / {@code [ipv6]} that takes the
	 * default port.
	 * @param text the address text
	 * @param defaultPort the port to use when the text has none
	 * @return the address
	 * @throws IllegalArgumentException with a message saying what is wrong and what form is expected
	 */
	public static NodeAddress parse(String text, int defaultPort) {
		String value = text.strip();
		if (value.isEmpty()) {
			throw new IllegalArgumentException("the address is empty; expected host:port");
		}
		String host;
		String port;
		if (value.startsWith("[")) {
			int close = value.indexOf(']');
			if (close < 0) {
				throw new IllegalArgumentException("'" + value + "' opens '[' without closing ']'; expected [ipv6]:port");
			}
			host = value.substring(1, close);
			String rest = value.substring(close + 1);
			if (!rest.isEmpty() && !rest.startsWith(":")) {
				throw new IllegalArgumentException("'" + value + "' has '" + rest + "' after ']'; expected [ipv6]:port");
			}
			port = rest.isEmpty() ? null : rest.substring(1);
		}
		else {
			int colon = value.lastIndexOf(':');
			if (colon != value.indexOf(':')) {
				throw new IllegalArgumentException(
						"'" + value + "' looks like an IPv6 address without brackets; write it as [ipv6]:port");
			}
			host = (colon < 0) ? value : value.substring(0, colon);
			port = (colon < 0) ? null : value.substring(colon + 1);
		}
		if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("'" + value + "' has no valid host; expected host:port");
		}
		return new NodeAddress(host, (port != null) ? parsePort(value, port) : defaultPort);
	}

	private static int parsePort(String value, String port) {
		int number;
		try {
			number = Integer.parseInt(port);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + value + "' has port '" + port + "', which is not a number");
		}
		if (number < 1 || number > 65535) {
			throw new IllegalArgumentException("'" + value + "' has port " + number + ", outside 1-65535");
		}
		return number;
	}

	/**
	 * Return {@code host:port}, with brackets around an IPv6 host.
	 */
	@Override
	public String toString() {
		return (this.host.indexOf(':') >= 0) ? "[" + this.host + "]:" + this.port : this.host + ":" + this.port;
	}

}
