package dev.haredis.autoconfigure.connection;

import java.time.Clock;

import io.lettuce.core.RedisURI;
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
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

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
				clientResources, LettuceClientOptions
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
	LettuceConnectionFactory redisConnectionFactory(ConnectionFactoryBuilder haRedisConnectionFactoryBuilder) {
		return haRedisConnectionFactoryBuilder.build();
	}

	@Bean
	ConnectionFactoryBuilder haRedisConnectionFactoryBuilder(ClusterConnectionSettings haRedisClusterSettings,
			HaRedisProperties properties, HaRedisClusterProperties clusterProperties,
			BootRedisSettings haRedisBootSettings, ClusterMonitor clusterMonitor, ClientResources clientResources,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		return new ClusterConnectionFactoryBuilder(haRedisClusterSettings, clusterProperties, clusterMonitor,
				AddressMappedClientResources.of(clientResources, haRedisClusterSettings.addressMap()), properties,
				haRedisBootSettings, configurationCustomizers, optionsCustomizers);
	}

}
