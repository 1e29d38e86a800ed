package dev.haredis.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the addresses sentinels and servers announce into the ones to connect to, through the
 * {@link AddressMap}, and remembers where a mapped address came from so that health and messages can show both.
 * No I/O: the topology's decisions use it as they are made, and a replay uses it with the map of the recording.
 */
final class AnnouncedAddresses {

	/** A topology has a handful of nodes; the bound only guards against a computed mapping gone wrong. */
	private static final int MAX_REMEMBERED_ADDRESSES = 256;

	private final AddressMap addressMap;

	private final Map<NodeAddress, NodeAddress> announcedAs = new ConcurrentHashMap<>();

	AnnouncedAddresses(AddressMap addressMap) {
		this.addressMap = addressMap;
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
