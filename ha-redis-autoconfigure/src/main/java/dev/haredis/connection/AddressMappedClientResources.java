package dev.haredis.connection;

import java.net.SocketAddress;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.SocketAddressResolver;

import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * The application's client resources seen through an {@link AddressMap}: every address a connection is opened to
 * (the seeds, the nodes a cluster announces, a {@code MOVED} target) is mapped first, so servers behind Docker port
 * mapping or NAT are reached at the address this application can reach, while Lettuce keeps the announced one for
 * routing ({@code MOVED} replies name it). With TLS the host name checked is the mapped one. Everything else is the
 * application's resources, which it owns and shuts down.
 */
public final class AddressMappedClientResources {

	private AddressMappedClientResources() {
	}

	/**
	 * Return the resources to give a client, mapped when the map has entries.
	 * @param shared the application's client resources
	 * @param addressMap the address map
	 * @return {@code shared} itself for an empty map, else a view of it that maps addresses
	 */
	public static ClientResources of(ClientResources shared, AddressMap addressMap) {
		if (addressMap.isEmpty()) {
			return shared;
		}
		SocketAddressResolver delegate = shared.socketAddressResolver();
		return new RoutedClientResources(shared, new SocketAddressResolver() {

			@Override
			public SocketAddress resolve(RedisURI redisURI) {
				NodeAddress mapped = addressMap.map(new NodeAddress(redisURI.getHost(), redisURI.getPort()));
				return delegate.resolve(RedisURI.create(mapped.host(), mapped.port()));
			}

		}, shared.nettyCustomizer(), shared::reconnectDelay);
	}

}
