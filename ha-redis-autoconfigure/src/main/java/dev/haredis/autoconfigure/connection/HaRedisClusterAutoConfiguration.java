package dev.haredis.autoconfigure.connection;

import java.time.Clock;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

import dev.haredis.cluster.ClusterLettuceConnectionFactory;
import dev.haredis.cluster.ClusterListener;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.cluster.ClusterMonitorSettings;
import dev.haredis.connection.AddressMappedClientResources;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for a Redis Cluster:
 * the {@link ClusterMonitor}, which follows the shards, and a Lettuce cluster connection factory whose slot map it
 * keeps. Runs before Spring Boot's own Redis auto-configuration, whose connection factory then backs off; Boot's
 * Lettuce customizers and {@code spring.data.redis.*} client settings are applied to ours. Never beside a Sentinel
 * topology, which refuses a cluster configured too.
 */
@AutoConfiguration(after = HaRedisConnectionAutoConfiguration.class, before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisClusterClient.class })
@ConditionalOnBooleanProperty(name = "ha.redis.enabled", matchIfMissing = true)
@Conditional(OnClusterConfiguredCondition.class)
@ConditionalOnMissingBean(SentinelTopology.class)
@EnableConfigurationProperties({ HaRedisProperties.class, HaRedisClusterProperties.class, DataRedisProperties.class })
@Import(LettuceClientResourcesConfiguration.class)
public final class HaRedisClusterAutoConfiguration {

	private static final Log logger = LogFactory.getLog(HaRedisClusterAutoConfiguration.class);

	@Bean
	ClusterConnectionSettings haRedisClusterSettings(HaRedisProperties properties,
			HaRedisClusterProperties clusterProperties, DataRedisProperties bootProperties,
			ObjectProvider<DataRedisConnectionDetails> bootDetails, ObjectProvider<SslBundles> sslBundles,
			Environment environment, ObjectProvider<AddressMapCustomizer> addressMapCustomizers,
			ObjectProvider<HaRedisClusterConnectionDetails> details) {
		ClusterConnectionSettings settings = ClusterConnectionSettings.of(properties, clusterProperties,
				bootProperties, bootDetails.getIfAvailable(), sslBundles.getIfAvailable(), environment,
				addressMapCustomizers.orderedStream().toList(), details.getIfAvailable());
		logger.info("Following a Redis Cluster from " + settings.seeds() + ((settings.sslBundle() != null)
				? " over TLS" : " in plain text"));
		return settings;
	}

	@Bean
	@ConditionalOnMissingBean
	ClusterMonitor clusterMonitor(ClusterConnectionSettings haRedisClusterSettings, HaRedisProperties properties,
			HaRedisClusterProperties clusterProperties, BootRedisSettings haRedisBootSettings,
			ClientResources clientResources, ObjectProvider<ClusterListener> listeners) {
		// Only the credentials and TLS of this URI are used: each node is reached under its own address.
		RedisURI.Builder credentials = RedisURI.builder()
			.withHost("localhost")
			.withSsl(haRedisClusterSettings.sslBundle() != null);
		String password = haRedisClusterSettings.password();
		if (StringUtils.hasText(password)) {
			String username = haRedisClusterSettings.username();
			if (StringUtils.hasText(username)) {
				credentials.withAuthentication(username, password);
			}
			else {
				credentials.withPassword(password.toCharArray());
			}
		}
		return new ClusterMonitor(
				new ClusterMonitorSettings(haRedisClusterSettings.seeds(), clusterProperties.getRefreshInterval(),
						clusterProperties.getFastInterval(), clusterProperties.getTimeout(), properties.isFailFast(),
						haRedisClusterSettings.addressMap()),
				clientResources, MasterConnectionFactoryBuilder
					.clientOptions(haRedisClusterSettings.sslBundle(), properties, haRedisBootSettings)
					.build(),
				credentials.build(), Clock.systemUTC(), () -> listeners.orderedStream().toList());
	}

	@Bean
	ClusterListener haRedisClusterEventPublisher(ApplicationEventPublisher publisher) {
		return publisher::publishEvent;
	}

	@Bean
	@ConditionalOnMissingBean(RedisConnectionFactory.class)
	LettuceConnectionFactory redisConnectionFactory(ClusterConnectionSettings haRedisClusterSettings,
			HaRedisProperties properties, HaRedisClusterProperties clusterProperties,
			BootRedisSettings haRedisBootSettings, ClusterMonitor clusterMonitor, ClientResources clientResources,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		RedisClusterConfiguration cluster = new RedisClusterConfiguration(haRedisClusterSettings.seeds()
			.stream()
			.map((seed) -> seed.host().contains(":") ? "[" + seed.host() + "]:" + seed.port()
					: seed.host() + ":" + seed.port())
			.toList());
		if (haRedisClusterSettings.maxRedirects() != null) {
			cluster.setMaxRedirects(haRedisClusterSettings.maxRedirects());
		}
		cluster.setUsername(haRedisClusterSettings.username());
		if (haRedisClusterSettings.password() != null) {
			cluster.setPassword(haRedisClusterSettings.password());
		}
		ClusterClientOptions.Builder options = MasterConnectionFactoryBuilder.clientOptions(
				ClusterClientOptions.builder(), haRedisClusterSettings.sslBundle(), properties, haRedisBootSettings);
		optionsCustomizers.orderedStream().forEach((customizer) -> customizer.customize(options));
		LettuceClientConfigurationBuilder builder = MasterConnectionFactoryBuilder.bootBuilder(haRedisBootSettings);
		if (haRedisClusterSettings.sslBundle() != null) {
			builder.useSsl();
		}
		// ha.redis.timeout and client-name, or Spring Boot's spring.data.redis ones carried over
		if (haRedisBootSettings.timeout() != null) {
			builder.commandTimeout(haRedisBootSettings.timeout());
		}
		if (StringUtils.hasText(haRedisBootSettings.clientName())) {
			builder.clientName(haRedisBootSettings.clientName());
		}
		if (!haRedisBootSettings.shutdownTimeout().isZero()) {
			builder.shutdownTimeout(haRedisBootSettings.shutdownTimeout());
		}
		builder.clientOptions(options.build());
		builder.clientResources(AddressMappedClientResources.of(clientResources, haRedisClusterSettings.addressMap()));
		configurationCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		ClusterLettuceConnectionFactory factory = new ClusterLettuceConnectionFactory(cluster, builder.build(),
				clusterMonitor, clusterProperties.getFastInterval(), clusterProperties.getRetryWhileDown());
		if (haRedisBootSettings.virtualThreads()) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("redis-");
			executor.setVirtualThreads(true);
			factory.setExecutor(executor);
		}
		return factory;
	}

}
