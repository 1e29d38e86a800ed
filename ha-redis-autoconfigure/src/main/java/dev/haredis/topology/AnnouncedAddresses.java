package dev.haredis.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns the addresses sentinels and servers announce into the ones to connect to, through the
 * {@link AddressMap}, and remembers where a mapped address came from so that health and messages can show both.
 * No I/O. The topology's core has an instance of its own, which it alone touches: the answers and events it takes
 * carry addresses as announced, and it maps them; the connector maps what the transport needs with another.
 */
final class AnnouncedAddresses {

	/** A topology has a handful of nodes; the bound only guards against a computed mapping gone wrong. */
	private static final int MAX_REMEMBERED_ADDRESSES = 256;

	private final AddressMap addressMap;

	private final Map<NodeAddress, NodeAddress> announcedAs;

	/**
	 * Addresses for one thread: the topology's core.
	 * @param addressMap the map
	 */
	AnnouncedAddresses(AddressMap addressMap) {
		this(addressMap, new HashMap<>());
	}

	/**
	 * Addresses that remember what they mapped in the given map: a concurrent one where several threads map (the
	 * connector's discoveries and links).
	 * @param addressMap the map
	 * @param memory where the announced form of each mapped address is kept
	 */
	AnnouncedAddresses(AddressMap addressMap, Map<NodeAddress, NodeAddress> memory) {
		this.addressMap = addressMap;
		this.announcedAs = memory;
	}

	/**
	 * Map an address a sentinel or server announced to the one to connect to.
	 * @param announced the address as announced
	 * @return the address to connect to
	 */
	NodeAddress reachable(NodeAddress announced) {
		NodeAddress reachable = this.addressMap.map(announced);
		if (!reachable.equals(announced) && this.announcedAs.size() < MAX_REMEMBERED_ADDRESSES) {
			this.announcedAs.put(reachable, announced);
		}
		return reachable;
	}

	/**
	 * Return the announced address behind each mapped address seen so far.
	 * @return announced addresses by the address they were mapped to
	 */
	Map<NodeAddress, NodeAddress> announced() {
		return Map.copyOf(this.announcedAs);
	}

	/**
	 * Describe an address for a person: as used, and as announced when the address map changed it.
	 * @param address the address used
	 * @return the description
	 */
	String describe(NodeAddress address) {
		NodeAddress announced = this.announcedAs.get(address);
		return (announced != null)
				? address + " (announced as " + announced + ", mapped by ha.redis.sentinel.address-map)"
				: address.toString();
	}

}
