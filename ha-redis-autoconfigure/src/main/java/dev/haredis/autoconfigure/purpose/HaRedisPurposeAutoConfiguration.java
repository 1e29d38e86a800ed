package dev.haredis.autoconfigure.purpose;

import java.util.function.BooleanSupplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisProperties;
import dev.haredis.autoconfigure.connection.ConnectionFactoryBuilder;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the purposes ha-redis
 * builds a connection factory of its own for: the registry of the {@link ConnectionPurpose} beans the cache,
 * session, messaging and queue auto-configurations declare, and the startup check of their connection settings.
 */
@AutoConfiguration(after = { HaRedisConnectionAutoConfiguration.class, HaRedisClusterAutoConfiguration.class })
@ConditionalOnBean(ConnectionFactoryBuilder.class)
public final class HaRedisPurposeAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConnectionPurposes haRedisConnectionPurposes(ObjectProvider<ConnectionPurpose> purposes) {
		return new ConnectionPurposes(purposes.orderedStream().toList());
	}

	@Bean
	ConnectionPurposeCheck haRedisConnectionPurposeCheck(ConnectionPurposes haRedisConnectionPurposes,
			ObjectProvider<SentinelTopology> sentinelTopology, ObjectProvider<ClusterMonitor> clusterMonitor,
			HaRedisProperties properties) {
		SentinelTopology sentinel = sentinelTopology.getIfAvailable();
		ClusterMonitor cluster = clusterMonitor.getIfAvailable();
		BooleanSupplier topologyKnown = (sentinel != null) ? () -> sentinel.getMaster().isPresent()
				: (cluster != null) ? () -> cluster.getView().isPresent() : () -> false;
		return new ConnectionPurposeCheck(haRedisConnectionPurposes, topologyKnown, properties.isFailFast());
	}

}
