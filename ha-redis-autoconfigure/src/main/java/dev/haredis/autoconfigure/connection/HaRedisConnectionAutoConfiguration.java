package dev.haredis.autoconfigure.connection;

import java.time.Clock;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;

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
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

import dev.haredis.connection.LettuceSslOptions;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.connection.MasterRouting;
import dev.haredis.connection.ReadOnlyReplyListener;
import dev.haredis.topology.MasterDiscovery;
import dev.haredis.topology.SentinelConnector;
import dev.haredis.topology.SentinelSettings;
import dev.haredis.topology.SentinelSettings.Credentials;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for a Redis master and
 * replicas watched by Sentinel: the application's {@link SentinelTopology}, which follows the sentinels, and a
 * Lettuce connection factory that always connects to the master the topology has verified. Runs before Spring
 * Boot's own Redis auto-configuration, whose connection factory then backs off; Boot's Lettuce customizers are
 * applied to ours.
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
	SentinelConnector sentinelConnector(HaRedisConnectionDetails details, HaRedisProperties properties,
			ClientResources clientResources) {
		HaRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
		SentinelSettings settings = new SentinelSettings(sentinel.getMaster(), sentinel.getNodes(),
				new Credentials(sentinel.getUsername(), sentinel.getPassword()),
				new Credentials(details.getUsername(), details.getPassword()), details.getDatabase(),
				details.getSslBundle() != null, properties.getSentinel().getTimeout());
		return new SentinelConnector(clientResources, clientOptions(details, properties).build(), settings);
	}

	@Bean
	@ConditionalOnMissingBean
	MasterDiscovery masterDiscovery(SentinelConnector sentinelConnector) {
		return new MasterDiscovery(sentinelConnector);
	}

	@Bean
	@ConditionalOnMissingBean
	SentinelTopology sentinelTopology(MasterDiscovery masterDiscovery, SentinelConnector sentinelConnector,
			HaRedisProperties properties) {
		HaRedisProperties.Topology topology = properties.getTopology();
		return new SentinelTopology(masterDiscovery, sentinelConnector, new SentinelTopology.MonitorSettings(
				topology.isMonitor(), topology.getRefreshInterval(), topology.getEventHistory()),
				properties.isFailFast(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	MasterRouting haRedisMasterRouting(SentinelTopology sentinelTopology, ClientResources clientResources) {
		return new MasterRouting(sentinelTopology, clientResources);
	}

	@Bean
	TopologyEventPublisher haRedisTopologyEventPublisher(ObjectProvider<SentinelTopology> topology,
			ApplicationEventPublisher publisher) {
		return new TopologyEventPublisher(topology, publisher);
	}

	@Bean
	@ConditionalOnMissingBean(RedisConnectionFactory.class)
	LettuceConnectionFactory redisConnectionFactory(HaRedisConnectionDetails details, HaRedisProperties properties,
			SentinelTopology sentinelTopology, MasterRouting haRedisMasterRouting,
			ObjectProvider<LettuceClientConfigurationBuilderCustomizer> configurationCustomizers,
			ObjectProvider<LettuceClientOptionsBuilderCustomizer> optionsCustomizers) {
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
		builder.clientResources(haRedisMasterRouting.getClientResources());
		configurationCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return new MasterLettuceConnectionFactory(builder.build(), details.getUsername(), details.getPassword(),
				details.getDatabase(), new ReadOnlyReplyListener(sentinelTopology));
	}

	private static ClientOptions.Builder clientOptions(HaRedisConnectionDetails details, HaRedisProperties properties) {
		ClientOptions.Builder builder = ClientOptions.builder()
			.socketOptions(socketOptions(properties))
			.timeoutOptions(TimeoutOptions.enabled());
		SslBundle sslBundle = details.getSslBundle();
		if (sslBundle != null) {
			builder.sslOptions(LettuceSslOptions.from(sslBundle));
		}
		return builder;
	}

	private static SocketOptions socketOptions(HaRedisProperties properties) {
		HaRedisProperties.Socket socket = properties.getSocket();
		SocketOptions.Builder builder = SocketOptions.builder()
			.connectTimeout(properties.getConnectTimeout())
			.keepAlive(SocketOptions.KeepAliveOptions.builder()
				.enable(socket.isKeepAlive())
				.idle(socket.getKeepAliveIdle())
				.interval(socket.getKeepAliveInterval())
				.count(socket.getKeepAliveCount())
				.build());
		// Lettuce refuses to connect when TCP_USER_TIMEOUT is asked for without a native transport.
		if (EpollProvider.isAvailable() || IOUringProvider.isAvailable()) {
			builder.tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder()
				.enable()
				.tcpUserTimeout(socket.getTcpUserTimeout())
				.build());
		}
		return builder.build();
	}

}
