package dev.haredis.testcontainers;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

import dev.haredis.autoconfigure.connection.HaRedisConnectionDetails;

/**
 * Creates {@link HaRedisConnectionDetails} for a {@code @ServiceConnection} {@link RedisSentinelContainer}: its
 * master name, its sentinels as published on the Docker host, and the address map from what the servers announce to
 * what the application reaches.
 */
class RedisSentinelContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<RedisSentinelContainer, HaRedisConnectionDetails> {

	RedisSentinelContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "dev.haredis.autoconfigure.connection.HaRedisConnectionDetails");
	}

	@Override
	protected HaRedisConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<RedisSentinelContainer> source) {
		return new RedisSentinelContainerConnectionDetails(source);
	}

	/**
	 * {@link HaRedisConnectionDetails} backed by a {@link RedisSentinelContainer}.
	 */
	static final class RedisSentinelContainerConnectionDetails extends ContainerConnectionDetails<RedisSentinelContainer>
			implements HaRedisConnectionDetails {

		RedisSentinelContainerConnectionDetails(ContainerConnectionSource<RedisSentinelContainer> source) {
			super(source);
		}

		@Override
		public Sentinel getSentinel() {
			RedisSentinelContainer container = getContainer();
			return Sentinel.of(container.getMasterName(), container.getSentinelAddresses(), null, null,
					container.getAddressMap());
		}

		// Both supertypes declare it: the container details' protected one, the interface's public one.
		@Override
		public @Nullable SslBundle getSslBundle() {
			return super.getSslBundle();
		}

	}

}
