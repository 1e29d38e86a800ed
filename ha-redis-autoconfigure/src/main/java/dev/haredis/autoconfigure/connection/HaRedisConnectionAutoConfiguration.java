package dev.haredis.autoconfigure.connection;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

import dev.haredis.connection.LettuceSslOptions;
import dev.haredis.connection.MasterRoutingSocketAddressResolver;
import dev.haredis.topology.MasterDiscovery;
import dev.haredis.topology.SentinelSettings;
import dev.haredis.topology.SentinelSettings.Credentials;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for a Redis master and
 * replicas watched by Sentinel: the application's {@link SentinelTopology} and a Lettuce connection factory that
 * always connects to the master the topology has verified. Runs before Spring Boot's own Redis auto-configuration,
 * whose connection factory then backs off; Boot's Lettuce customizers are applied to ours.
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisClient.class })
@ConditionalOnBooleanProperty(name = "ha.redis.enabled", matchIfMissing = true)
@Conditional(OnSentinelConfiguredCondition.class)
@EnableConfigurationProperties({ HaRedisProperties.class, DataRedisProperties.class })
public final class HaRedisConnectionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(HaRedisConnectionDetails.class)
	PropertiesHaRedisConnectionDetails haRedisConnectionDetails(HaRedisProperties properties,
			DataRedisProperties bootProperties, ObjectProvider<DataRedisConnectionDetails> bootDetails,
			ObjectProvider<SslBundles> sslBundles) {
		return new PropertiesHaRedisConnectionDetails(properties, bootProperties, bootDetails.getIfAvailable(),
				sslBundles.getIfAvailable());
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean(ClientResources.class)
	DefaultClientResources lettuceClientResources(ObjectProvider<ClientResourcesBuilderCustomizer> customizers) {
		DefaultClientResources.Builder builder = DefaultClientResources.builder();
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	MasterDiscovery masterDiscovery(HaRedisConnectionDetails details, HaRedisProperties properties,
			ClientResources clientResources) {
		HaRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
		SentinelSettings settings = new SentinelSettings(sentinel.getMaster(), sentinel.getNodes(),
				new Credentials(sentinel.getUsername(), sentinel.getPassword()),
				new Credentials(details.getUsername(), details.getPassword()), details.getDatabase(),
				details.getSslBundle() != null, properties.getSentinel().getTimeout());
		return new MasterDiscovery(clientResources, clientOptions(details, properties).build(), settings);
	}

	@Bean
	@ConditionalOnMissingBean
	SentinelTopology sentinelTopology(MasterDiscovery masterDiscovery, HaRedisProperties properties) {
		return new SentinelTopology(masterDiscovery, properties.isFailFast());
	}

	@Bean
	@ConditionalOnMissingBean(RedisConnectionFactory.class)
	LettuceConnectionFactory redisConnectionFactory(HaRedisConnectionDetails details, HaRedisProperties properties,
			SentinelTopology topology, ClientResources clientResources,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		RedisStandaloneConfiguration master = new RedisStandaloneConfiguration(
				MasterRoutingSocketAddressResolver.MASTER_HOST, MasterRoutingSocketAddressResolver.MASTER_PORT);
		master.setUsername(details.getUsername());
		master.setPassword(RedisPassword.of(details.getPassword()));
		master.setDatabase(details.getDatabase());
		ClientOptions.Builder options = clientOptions(details, properties);
		optionsCustomizers.orderedStream().forEach((customizer) -> customizer.customize(options));
		LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder();
		if (details.getSslBundle() != null) {
			builder.useSsl();
		}
		if (properties.getTimeout() != null) {
			builder.commandTimeout(properties.getTimeout());
		}
		if (StringUtils.hasText(properties.getClientName())) {
			builder.clientName(properties.getClientName());
		}
		builder.clientOptions(options.build());
		// Shares the event loops; only the resolver differs, so every (re)connect asks the topology.
		builder.clientResources(clientResources.mutate()
			.socketAddressResolver(
					new MasterRoutingSocketAddressResolver(topology, clientResources.socketAddressResolver()))
			.build());
		configurationCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return new LettuceConnectionFactory(master, builder.build());
	}

	private static ClientOptions.Builder clientOptions(HaRedisConnectionDetails details, HaRedisProperties properties) {
		ClientOptions.Builder builder = ClientOptions.builder()
			.socketOptions(SocketOptions.builder().connectTimeout(properties.getConnectTimeout()).build())
			.timeoutOptions(TimeoutOptions.enabled());
		SslBundle sslBundle = details.getSslBundle();
		if (sslBundle != null) {
			builder.sslOptions(LettuceSslOptions.from(sslBundle));
		}
		return builder;
	}

}
