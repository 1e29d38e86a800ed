package dev.haredis.topology;

import org.jspecify.annotations.Nullable;

/**
 * A computed address mapping: turns an address the sentinels announce into one this application can reach, for
 * mappings a fixed table cannot express (a port offset, a naming scheme). Consulted after the fixed entries of an
 * {@link AddressMap}, for every address a reply or an event carries, from several threads (Netty's among them): a
 * mapping must be thread-safe and must not block.
 */
@FunctionalInterface
public interface AddressMapping {

	/**
	 * Map an announced address.
	 * @param announced the address a sentinel or server announced
	 * @return the address to connect to instead, or {@code null} to leave it to the next mapping
	 */
	@Nullable NodeAddress map(NodeAddress announced);

}
