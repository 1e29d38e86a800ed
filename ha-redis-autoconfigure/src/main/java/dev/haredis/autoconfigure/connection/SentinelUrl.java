package dev.haredis.autoconfigure.connection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.haredis.autoconfigure.internal.UrlMasking;
import dev.haredis.topology.NodeAddress;

/**
 * A parsed {@code ha.redis.url}, in either of the two forms users already write:
 * <ul>
 * <li>{@code redis-sentinel://[user:password@]host1:port1,host2:port2[/database][?sentinelMasterId=name][#name]}
 * (Lettuce's form; {@code rediss-sentinel://} for TLS)</li>
 * <li>{@code sentinel://[user:password@]host1:port1[/database];sentinel://host2:port2[/database]} (Celery and
 * kombu's form; the master name then comes from {@code ha.redis.sentinel.master})</li>
 * </ul>
 * Credentials in the URL are the data nodes'. Ports default to 26379, passwords may be URL-encoded, IPv6 hosts are
 * written in brackets, and spaces and a trailing {@code ;} are ignored.
 * <p>
 * The user info runs from {@code ://} to the last {@code @} of a part, so a password may hold any character
 * ({@code / @ : ; # ?}) without being mistaken for the rest of the URL; only {@code %} must be written {@code %25},
 * and a {@code :} in a username {@code %3A}. Messages about a malformed URL mask the user info by that same
 * structure, so no part of a password ever appears in them.
 *
 * @param nodes the sentinels
 * @param username the data-node username, if any
 * @param password the data-node password, if any
 * @param database the database index, if the URL names one
 * @param master the master name, if the URL names one
 * @param ssl whether the URL asks for TLS
 */
record SentinelUrl(List<NodeAddress> nodes, @Nullable String username, @Nullable String password,
		@Nullable Integer database, @Nullable String master, boolean ssl) {

	/**
	 * Parse a URL.
	 * @param url the URL
	 * @return the parsed URL
	 * @throws IllegalArgumentException with a message that says what is wrong, never containing the password
	 */
	static SentinelUrl parse(String url) {
		String text = url.strip();
		if (text.startsWith("redis-sentinel://") || text.startsWith("rediss-sentinel://")) {
			boolean ssl = text.startsWith("rediss-");
			Part part = Part.parse(text.substring(text.indexOf("://") + 3), text);
			return new SentinelUrl(part.nodes, part.username, part.password, part.database, part.master, ssl);
		}
		if (text.startsWith("sentinel://")) {
			return parseKombu(text);
		}
		throw new IllegalArgumentException("'" + mask(text)
				+ "' must start with 'redis-sentinel://', 'rediss-sentinel://' or 'sentinel://'");
	}

	private static SentinelUrl parseKombu(String text) {
		List<Part> parts = new ArrayList<>();
		for (String trimmed : kombuParts(text)) {
			Part part = Part.parse(trimmed.substring("sentinel://".length()), trimmed);
			if (part.nodes.size() != 1) {
				throw new IllegalArgumentException("part '" + mask(trimmed)
						+ "' names several hosts; the sentinel:// form takes one host per part, separated by ';'");
			}
			parts.add(part);
		}
		Part first = parts.get(0);
		for (Part other : parts) {
			if (!Objects.equals(first.username, other.username) && other.username != null
					|| !Objects.equals(first.password, other.password) && other.password != null) {
				throw new IllegalArgumentException("the parts carry different credentials; use the same in every part");
			}
			if (!Objects.equals(first.database, other.database) && other.database != null) {
				throw new IllegalArgumentException("the parts name different databases (" + first.database + " and "
						+ other.database + "); use the same in every part");
			}
		}
		List<NodeAddress> nodes = parts.stream().map((part) -> part.nodes.get(0)).toList();
		String username = parts.stream().map((part) -> part.username).filter(Objects::nonNull).findFirst().orElse(null);
		String password = parts.stream().map((part) -> part.password).filter(Objects::nonNull).findFirst().orElse(null);
		Integer database = parts.stream().map((part) -> part.database).filter(Objects::nonNull).findFirst().orElse(null);
		String master = parts.stream().map((part) -> part.master).filter(Objects::nonNull).findFirst().orElse(null);
		return new SentinelUrl(nodes, username, password, database, master, false);
	}

	/**
	 * Split the Celery/kombu form into its parts, each starting with {@code sentinel://}; a trailing {@code ;} and
	 * spaces are dropped. A {@code ;} inside a password does not split.
	 */
	private static List<String> kombuParts(String text) {
		List<String> parts = new ArrayList<>();
		for (String piece : UrlMasking.KOMBU_SEPARATOR.split(text)) {
			String trimmed = piece.strip();
			while (trimmed.endsWith(";")) {
				trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
			}
			if (!trimmed.isEmpty()) {
				parts.add(trimmed);
			}
		}
		return parts;
	}

	/**
	 * Return the URL with its user info replaced by {@code ****}, so it can appear in messages.
	 * @param url the URL
	 * @return the masked URL
	 * @see UrlMasking
	 */
	static String mask(String url) {
		return UrlMasking.mask(url);
	}

	@Override
	public String toString() {
		return "SentinelUrl[nodes=" + this.nodes + ", username=" + ((this.username != null) ? "****" : null)
				+ ", password=" + ((this.password != null) ? "****" : null) + ", database=" + this.database
				+ ", master=" + this.master + ", ssl=" + this.ssl + "]";
	}

	/**
	 * One part of a URL: user info, then the address (hosts, database, query and master name).
	 */
	private record Part(List<NodeAddress> nodes, @Nullable String username,
			@Nullable String password, @Nullable Integer database, @Nullable String master) {

		static Part parse(String part, String whole) {
			// The user info ends at the last '@': a password may hold '@', '/', '#', '?', ':' or ';'.
			int at = part.lastIndexOf('@');
			String userInfo = (at >= 0) ? part.substring(0, at) : null;
			String address = part.substring(at + 1);
			if (address.contains(";")) {
				throw new IllegalArgumentException("'" + mask(whole) + "' holds a ';' that does not start a new part: "
						+ "every part must start with 'sentinel://'");
			}
			String rest = address;
			String master = null;
			int hash = rest.indexOf('#');
			if (hash >= 0) {
				master = emptyToNull(decode(rest.substring(hash + 1), whole));
				rest = rest.substring(0, hash);
			}
			int question = rest.indexOf('?');
			if (question >= 0) {
				master = queryMaster(rest.substring(question + 1), master, whole);
				rest = rest.substring(0, question);
			}
			Integer database = null;
			int slash = rest.indexOf('/');
			if (slash >= 0) {
				database = parseDatabase(rest.substring(slash + 1), whole);
				rest = rest.substring(0, slash);
			}
			List<NodeAddress> nodes = new ArrayList<>();
			for (String host : rest.split(",")) {
				try {
					nodes.add(NodeAddress.parse(host, NodeAddress.DEFAULT_SENTINEL_PORT));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("'" + mask(whole) + "': " + ex.getMessage());
				}
			}
			String username = null;
			String password = null;
			if (userInfo != null) {
				int colon = userInfo.indexOf(':');
				username = (colon >= 0) ? emptyToNull(decode(userInfo.substring(0, colon), whole)) : null;
				password = emptyToNull(decode((colon >= 0) ? userInfo.substring(colon + 1) : userInfo, whole));
			}
			return new Part(nodes, username, password, database, master);
		}

		private static @Nullable String queryMaster(String query, @Nullable String master, String whole) {
			String found = master;
			for (String parameter : query.split("&")) {
				int equals = parameter.indexOf('=');
				String name = (equals >= 0) ? parameter.substring(0, equals) : parameter;
				if ("sentinelMasterId".equals(name) || "master_name".equals(name)) {
					found = emptyToNull(decode(parameter.substring(equals + 1), whole));
				}
			}
			return found;
		}

		private static @Nullable Integer parseDatabase(String path, String whole) {
			String value = path.strip();
			if (value.isEmpty()) {
				return null;
			}
			try {
				int database = Integer.parseInt(value);
				if (database < 0) {
					throw new NumberFormatException();
				}
				return database;
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("'" + mask(whole) + "' has database '" + value
						+ "', which is not a database index (0, 1, 2, ...)");
			}
		}

		private static @Nullable String emptyToNull(String value) {
			return value.isEmpty() ? null : value;
		}

		/**
		 * Percent-decode; unlike {@code URLDecoder}, a '+' stays a '+' (it is common in generated passwords).
		 */
		private static String decode(String value, String whole) {
			if (value.indexOf('%') < 0) {
				return value;
			}
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (c == '%') {
					if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
							|| Character.digit(value.charAt(i + 2), 16) < 0) {
						throw new IllegalArgumentException("'" + mask(whole)
								+ "' has a '%' that is not followed by two hex digits; encode '%' as %25");
					}
					bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
					i += 2;
				}
				else {
					bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
				}
			}
			return bytes.toString(StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			// never print the password
			return Arrays.toString(this.nodes.toArray());
		}

	}

}
