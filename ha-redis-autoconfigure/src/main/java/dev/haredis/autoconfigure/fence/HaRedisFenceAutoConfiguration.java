package dev.haredis.autoconfigure.fence;

import java.time.Clock;
import java.util.Objects;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.MasterConnectionFactoryBuilder;
import dev.haredis.fence.ReplicationFence;
import dev.haredis.fence.ReplicationFenceProbe;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the replication
 * fence, when {@code ha.redis.fence.max-replica-lag} is set: every ha-redis connection factory refuses writes while
 * no write of that long is known to be on a replica. When it is off, a start-up line says whether the master bounds
 * such writes itself ({@code min-replicas-to-write}).
 */
@AutoConfiguration(after = HaRedisConnectionAutoConfiguration.class)
@ConditionalOnBean(SentinelTopology.class)
public final class HaRedisFenceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(RedisConnectionFactory.class)
	ReplicationSafetyReport haRedisReplicationSafetyReport(ObjectProvider<ReplicationFence> fence,
			RedisConnectionFactory redisConnectionFactory) {
		return new ReplicationSafetyReport(redisConnectionFactory, fence.getIfAvailable() != null);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("ha.redis.fence.max-replica-lag")
	@EnableConfigurationProperties(HaRedisFenceProperties.class)
	static class FenceConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReplicationFence haRedisReplicationFence() {
			return new ReplicationFence();
		}

		@Bean
		@ConditionalOnMissingBean
		ReplicationFenceProbe haRedisReplicationFenceProbe(ReplicationFence fence,
				MasterConnectionFactoryBuilder haRedisConnectionFactoryBuilder, HaRedisFenceProperties properties,
				ApplicationEventPublisher events) {
			return new ReplicationFenceProbe(fence, haRedisConnectionFactoryBuilder.dedicated(1).build(),
					settings(properties), Clock.systemUTC(), events);
		}

	}

	static ReplicationFenceProbe.Settings settings(HaRedisFenceProperties properties) {
		// Checked when bound (HaRedisFenceProperties#validate); the condition guarantees it is set.
		return new ReplicationFenceProbe.Settings(Objects.requireNonNull(properties.getMaxReplicaLag()),
				properties.getMinReplicas(), properties.getProbeInterval());
	}

}
