package dev.haredis.autoconfigure.connection;

import dev.haredis.topology.AddressMap;

/**
 * Callback to add to the address map the sentinels' announced addresses go through, after the entries of
 * {@code ha.redis.sentinel.address-map} (or of the {@link HaRedisConnectionDetails}): for mappings computed at
 * start-up or by rule, such as {@code builder.mapping((announced) -> ...)}. Customizers run in
 * {@link org.springframework.core.annotation.Order @Order}.
 */
@FunctionalInterface
public interface AddressMapCustomizer {

	/**
	 * Customize the address map.
	 * @param builder the builder, holding the configured entries
	 */
	void customize(AddressMap.Builder builder);

}
