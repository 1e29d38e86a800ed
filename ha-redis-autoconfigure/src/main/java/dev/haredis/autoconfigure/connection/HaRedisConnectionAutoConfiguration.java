package dev.haredis.autoconfigure.connection;

import java.time.Clock;

import io.lettuce.core.RedisClient;
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
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.haredis.connection.MasterRouting;
import dev.haredis.connection.WriteGate;
import dev.haredis.durability.DurableWrites;
import dev.haredis.topology.AddressMap;
import dev.haredis.topology.SentinelConnector;
import dev.haredis.topology.SentinelSettings;
import dev.haredis.topology.SentinelSettings.Credentials;
import dev.haredis.topology.MonitorSettings;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyListener;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for a Redis master and
 * replicas watched by Sentinel: the application's {@link SentinelTopology}, which follows the sentinels, and a
 * Lettuce connection factory that always connects to the master the topology has verified. Runs before Spring
 * Boot's own Redis auto-configuration, whose connection factory then backs off; Boot's Lettuce customizers and its
 * {@code spring.data.redis.*} client settings are applied to ours, or refused (see {@link BootRedisSettings}).
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ RedisConnectionFactory.class, RedisClient.class })
@ConditionalOnBooleanProperty(name = "ha.redis.enabled", matchIfMissing = true)
@Conditional(OnSentinelConfiguredCondition.class)
@EnableConfigurationProperties({ HaRedisProperties.class, DataRedisProperties.class })
@Import(LettuceClientResourcesConfiguration.class)
public final class HaRedisConnectionAutoConfiguration {

	private static final Log logger = LogFactory.getLog(HaRedisConnectionAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(HaRedisConnectionDetails.class)
	PropertiesHaRedisConnectionDetails haRedisConnectionDetails(HaRedisProperties properties,
			DataRedisProperties bootProperties, ObjectProvider<DataRedisConnectionDetails> bootDetails,
			ObjectProvider<SslBundles> sslBundles, Environment environment,
			ObjectProvider<HaRedisClusterConnectionDetails> clusterDetails) {
		ClusterConnectionSettings.refuseBesideSentinel(environment, clusterDetails.getIfAvailable() != null);
		PropertiesHaRedisConnectionDetails details = new PropertiesHaRedisConnectionDetails(properties,
				bootProperties, bootDetails.getIfAvailable(), sslBundles.getIfAvailable());
		if (PropertiesHaRedisConnectionDetails.configuresSentinel(properties)) {
			BootRedisSettings.refuseConnectionSettings(details, properties, bootProperties, environment);
		}
		return details;
	}

	@Bean
	@ConditionalOnMissingBean
	SentinelConnector sentinelConnector(HaRedisConnectionDetails details, HaRedisProperties properties,
			BootRedisSettings haRedisBootSettings, ClientResources clientResources,
			ObjectProvider<AddressMapCustomizer> addressMapCustomizers) {
		HaRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
		AddressMap.Builder addressMap = sentinel.getAddressMap().toBuilder();
		addressMapCustomizers.orderedStream().forEach((customizer) -> customizer.customize(addressMap));
		SslBundle sentinelSsl = details.getSentinelSslBundle();
		SslBundle dataSsl = details.getSslBundle();
		SentinelSettings settings = new SentinelSettings(sentinel.getMaster(), sentinel.getNodes(),
				new Credentials(sentinel.getUsername(), sentinel.getPassword()),
				new Credentials(details.getUsername(), details.getPassword()), details.getDatabase(),
				sentinelSsl != null, dataSsl != null, properties.getSentinel().getTimeout(), addressMap.build());
		logger.info("Reaching the sentinels " + ((sentinelSsl != null) ? "over TLS" : "in plain text")
				+ " and the data nodes " + ((dataSsl != null) ? "over TLS" : "in plain text"));
		return new SentinelConnector(clientResources,
				LettuceClientOptions.clientOptions(sentinelSsl, properties, haRedisBootSettings).build(),
				LettuceClientOptions.clientOptions(dataSsl, properties, haRedisBootSettings).build(),
				settings);
	}

	@Bean
	@ConditionalOnMissingBean
	SentinelTopology sentinelTopology(SentinelConnector sentinelConnector,
			HaRedisProperties properties, ObjectProvider<TopologyListener> listeners) {
		HaRedisProperties.Topology topology = properties.getTopology();
		return new SentinelTopology(sentinelConnector, new MonitorSettings(
				topology.isMonitor(), topology.getRefreshInterval(), topology.getEventHistory(),
				properties.getSentinel().getMaxLearned(), topology.getPromotionHold()),
				properties.isFailFast(), Clock.systemUTC(), () -> listeners.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	MasterRouting haRedisMasterRouting(SentinelTopology sentinelTopology, ClientResources clientResources,
			ObjectProvider<WriteGate> writeGate) {
		return new MasterRouting(sentinelTopology, clientResources, writeGate.getIfAvailable(() -> WriteGate.OPEN));
	}

	@Bean
	TopologyEventPublisher haRedisTopologyEventPublisher(ApplicationEventPublisher publisher) {
		return new TopologyEventPublisher(publisher);
	}

	@Bean
	@ConditionalOnMissingBean(RedisConnectionFactory.class)
	LettuceConnectionFactory redisConnectionFactory(MasterConnectionFactoryBuilder haRedisConnectionFactoryBuilder) {
		return haRedisConnectionFactoryBuilder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	DurableWrites durableWrites(MasterConnectionFactoryBuilder haRedisConnectionFactoryBuilder,
			HaRedisProperties properties) {
		HaRedisProperties.Durability durability = properties.getDurability();
		return new DurableWrites(haRedisConnectionFactoryBuilder.dedicated(durability.getPoolSize()).build(),
				durability.getMinReplicas(), durability.getTimeout());
	}

	@Bean
	MasterConnectionFactoryBuilder haRedisConnectionFactoryBuilder(HaRedisConnectionDetails details,
			HaRedisProperties properties, BootRedisSettings haRedisBootSettings, MasterRouting haRedisMasterRouting,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
		return new MasterConnectionFactoryBuilder(details, properties, haRedisBootSettings, haRedisMasterRouting,
				configurationCustomizers, optionsCustomizers);
	}

}
