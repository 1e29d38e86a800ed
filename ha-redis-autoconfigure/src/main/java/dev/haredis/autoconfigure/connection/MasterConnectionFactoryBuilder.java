package dev.haredis.autoconfigure.connection;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.connection.MasterRouting;

/**
 * Builds the connection factories that go to the master a Sentinel topology verified: their client resources
 * resolve the virtual master address through the {@link MasterRouting}.
 */
public final class MasterConnectionFactoryBuilder extends ConnectionFactoryBuilder {

	private final HaRedisConnectionDetails details;

	private final MasterRouting routing;

	MasterConnectionFactoryBuilder(HaRedisConnectionDetails details, HaRedisProperties properties,
			BootRedisSettings bootSettings, MasterRouting routing,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		this(new Customizers(properties, bootSettings, configurationCustomizers, optionsCustomizers), details,
				routing, ConnectionSettings.of(details, bootSettings), Sharing.AS_BOOT, 0);
	}

	private MasterConnectionFactoryBuilder(Customizers customizers, HaRedisConnectionDetails details,
			MasterRouting routing, ConnectionSettings settings, Sharing sharing, int poolSize) {
		super(customizers, settings, sharing, poolSize);
		this.details = details;
		this.routing = routing;
	}

	@Override
	public MasterConnectionFactoryBuilder withOverrides(ConnectionSettings.Overrides overrides) {
		return (MasterConnectionFactoryBuilder) super.withOverrides(overrides);
	}

	@Override
	public MasterConnectionFactoryBuilder unpooled() {
		return (MasterConnectionFactoryBuilder) super.unpooled();
	}

	@Override
	public MasterConnectionFactoryBuilder dedicated(int poolSize) {
		return (MasterConnectionFactoryBuilder) super.dedicated(poolSize);
	}

	@Override
	public MasterLettuceConnectionFactory build() {
		return (MasterLettuceConnectionFactory) super.build();
	}

	@Override
	public boolean isCluster() {
		return false;
	}

	@Override
	ConnectionFactoryBuilder copy(ConnectionSettings settings, Sharing sharing, int poolSize) {
		return new MasterConnectionFactoryBuilder(customizers(), this.details, this.routing, settings, sharing,
				poolSize);
	}

	@Override
	ClientOptions.Builder newClientOptions() {
		return ClientOptions.builder();
	}

	@Override
	@Nullable SslBundle sslBundle() {
		// Verified against the master's own host name, see MasterRoutingSocketAddressResolver.
		return this.details.getSslBundle();
	}

	@Override
	ClientResources clientResources() {
		return this.routing.getClientResources();
	}

	@Override
	LettuceConnectionFactory create(LettuceClientConfiguration configuration, ConnectionSettings settings) {
		return new MasterLettuceConnectionFactory(configuration, settings.username(), settings.password(),
				settings.database());
	}

}
