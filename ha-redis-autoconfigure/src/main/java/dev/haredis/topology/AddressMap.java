package dev.haredis.topology;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.netty.util.NetUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Turns the addresses sentinels announce (in their replies, in {@code +switch-master} and other events, in replica
 * and sentinel lists, in {@code ROLE}) into addresses this application can reach. Behind Docker port mapping or
 * NAT the servers announce addresses that are only valid on their side; every announced address goes through the
 * map before it is used, so discovery, failover, role checks and health all agree.
 * <p>
 * Entries are looked up in this order: an exact {@code host:port} entry, then a host entry (the port is kept),
 * then the computed {@link AddressMapping mappings}; an address no entry covers is used as announced. Immutable.
 */
public final class AddressMap {

	private static final Log logger = LogFactory.getLog(AddressMap.class);

	/** The map that leaves every address as announced. */
	public static final AddressMap NONE = new AddressMap(Map.of(), Map.of(), List.of());

	private final Map<NodeAddress, NodeAddress> addresses;

	private final Map<String, String> hosts;

	private final List<AddressMapping> mappings;

	private final Set<AddressMapping> failingMappings = ConcurrentHashMap.newKeySet();

	private AddressMap(Map<NodeAddress, NodeAddress> addresses, Map<String, String> hosts,
			List<AddressMapping> mappings) {
		this.addresses = addresses;
		this.hosts = hosts;
		this.mappings = mappings;
	}

	/**
	 * Return a builder for a new map.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return a builder that starts with this map's entries.
	 * @return the builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.addresses.putAll(this.addresses);
		builder.hosts.putAll(this.hosts);
		builder.mappings.addAll(this.mappings);
		return builder;
	}

	/**
	 * Map an announced address to the one to connect to.
	 * @param announced the address as announced
	 * @return the reachable address; the announced one when no entry covers it
	 */
	public NodeAddress map(NodeAddress announced) {
		if (isEmpty()) {
			return announced;
		}
		String host = normalize(announced.host());
		NodeAddress exact = this.addresses.get(new NodeAddress(host, announced.port()));
		if (exact != null) {
			return exact;
		}
		String mappedHost = this.hosts.get(host);
		if (mappedHost != null) {
			return new NodeAddress(mappedHost, announced.port());
		}
		for (AddressMapping mapping : this.mappings) {
			NodeAddress mapped = apply(mapping, announced);
			if (mapped != null) {
				return mapped;
			}
		}
		return announced;
	}

	/**
	 * A failing mapping (an application's code) must not stop discovery or lose a {@code +switch-master}: it is
	 * passed over, and said once.
	 */
	private @Nullable NodeAddress apply(AddressMapping mapping, NodeAddress announced) {
		try {
			return mapping.map(announced);
		}
		catch (RuntimeException ex) {
			if (this.failingMappings.add(mapping)) {
				logger.warn("Address mapping " + mapping + " failed for " + announced + " and is passed over for "
						+ "the addresses it fails on: " + ex, ex);
			}
			return null;
		}
	}

	/**
	 * Return whether the map has no entries: every address is used as announced.
	 * @return whether it is empty
	 */
	public boolean isEmpty() {
		return this.addresses.isEmpty() && this.hosts.isEmpty() && this.mappings.isEmpty();
	}

	@Override
	public String toString() {
		List<String> entries = new ArrayList<>();
		this.addresses.forEach((from, to) -> entries.add(from + "=" + to));
		this.hosts.forEach((from, to) -> entries.add(from + "=" + to));
		this.mappings.forEach((mapping) -> entries.add(mapping.toString()));
		return entries.stream().collect(Collectors.joining(", ", "AddressMap[", "]"));
	}

	/**
	 * Host names compare without case, IPv6 literals in their canonical form ({@code 2001:db8:0:0::1} is
	 * {@code 2001:db8::1}); neither asks DNS.
	 */
	private static String normalize(String host) {
		if (NetUtil.isValidIpV6Address(host)) {
			InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
			if (address != null) {
				return NetUtil.toAddressString(address);
			}
		}
		return host.toLowerCase(Locale.ROOT);
	}

	/**
	 * Builds an {@link AddressMap}.
	 */
	public static final class Builder {

		private final Map<NodeAddress, NodeAddress> addresses = new LinkedHashMap<>();

		private final Map<String, String> hosts = new LinkedHashMap<>();

		private final List<AddressMapping> mappings = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Add an entry in text form: {@code host:port} to {@code host:port} (or to a bare {@code host}, keeping
		 * the port), or a bare {@code host} to a bare {@code host} for every port. IPv6 hosts go in brackets.
		 * @param announced the announced address or host
		 * @param reachable the address or host to use instead
		 * @return this builder
		 * @throws IllegalArgumentException with a message saying what is wrong and which form is expected
		 */
		public Builder entry(String announced, String reachable) {
			boolean announcedHasPort = hasPort(announced);
			boolean reachableHasPort = hasPort(reachable);
			NodeAddress from = parse(announced, "announced");
			NodeAddress to = parse(reachable, "reachable");
			if (announcedHasPort) {
				return address(from, reachableHasPort ? to : new NodeAddress(to.host(), from.port()));
			}
			if (reachableHasPort) {
				throw new IllegalArgumentException("'" + announced.strip() + "' is a host, which maps every port, "
						+ "but '" + reachable.strip() + "' names a port; write host:port on both sides to map one "
						+ "address, or a host on both sides to map a host");
			}
			return host(from.host(), to.host());
		}

		/**
		 * Map one announced address.
		 * @param announced the announced address
		 * @param reachable the address to use instead
		 * @return this builder
		 */
		public Builder address(NodeAddress announced, NodeAddress reachable) {
			Assert.notNull(announced, "'announced' must not be null");
			Assert.notNull(reachable, "'reachable' must not be null");
			this.addresses.put(new NodeAddress(normalize(announced.host()), announced.port()), reachable);
			return this;
		}

		/**
		 * Map an announced host, whatever the port; the port is kept.
		 * @param announced the announced host
		 * @param reachable the host to use instead
		 * @return this builder
		 */
		public Builder host(String announced, String reachable) {
			Assert.hasText(announced, "'announced' must not be empty");
			Assert.hasText(reachable, "'reachable' must not be empty");
			this.hosts.put(normalize(announced), reachable);
			return this;
		}

		/**
		 * Add a computed mapping, consulted after the fixed entries and the mappings added before it.
		 * @param mapping the mapping
		 * @return this builder
		 */
		public Builder mapping(AddressMapping mapping) {
			Assert.notNull(mapping, "'mapping' must not be null");
			this.mappings.add(mapping);
			return this;
		}

		/**
		 * Build the map.
		 * @return the map
		 */
		public AddressMap build() {
			if (this.addresses.isEmpty() && this.hosts.isEmpty() && this.mappings.isEmpty()) {
				return NONE;
			}
			return new AddressMap(Map.copyOf(this.addresses), Map.copyOf(this.hosts), List.copyOf(this.mappings));
		}

		private static NodeAddress parse(String text, String side) {
			try {
				// The port is only a placeholder when the text has none.
				return NodeAddress.parse(text, 1);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(side + " address: " + ex.getMessage(), ex);
			}
		}

		private static boolean hasPort(String text) {
			String value = text.strip();
			if (value.startsWith("[")) {
				return value.indexOf("]:") > 0;
			}
			return value.indexOf(':') >= 0;
		}

	}

}
