package dev.haredis.testcontainers;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

import dev.haredis.autoconfigure.connection.HaRedisClusterConnectionDetails;
import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * Creates {@link HaRedisClusterConnectionDetails} for a {@code @ServiceConnection} {@link RedisClusterContainer}:
 * its nodes as published on the Docker host, and the address map from what the nodes announce to what the
 * application reaches.
 */
class RedisClusterContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<RedisClusterContainer, HaRedisClusterConnectionDetails> {

	RedisClusterContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "dev.haredis.autoconfigure.connection.HaRedisClusterConnectionDetails");
	}

	@Override
	protected HaRedisClusterConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<RedisClusterContainer> source) {
		return new RedisClusterContainerConnectionDetails(source);
	}

	/**
	 * {@link HaRedisClusterConnectionDetails} backed by a {@link RedisClusterContainer}.
	 */
	static final class RedisClusterContainerConnectionDetails extends ContainerConnectionDetails<RedisClusterContainer>
			implements HaRedisClusterConnectionDetails {

		RedisClusterContainerConnectionDetails(ContainerConnectionSource<RedisClusterContainer> source) {
			super(source);
		}

		@Override
		public List<NodeAddress> getNodes() {
			return getContainer().getNodeAddresses();
		}

		@Override
		public AddressMap getAddressMap() {
			return getContainer().getAddressMap();
		}

		// Both supertypes declare it: the container details' protected one, the interface's public one.
		@Override
		public @Nullable SslBundle getSslBundle() {
			return super.getSslBundle();
		}

	}

}
