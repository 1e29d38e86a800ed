package dev.haredis.autoconfigure.fence;

import java.time.Clock;
import java.util.Objects;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.MasterConnectionFactoryBuilder;
import dev.haredis.fence.ReplicationFence;
import dev.haredis.fence.ReplicationFenceProbe;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the replication
 * fence, when {@code ha.redis.fence.max-replica-lag} is set: every ha-redis connection factory refuses writes while
 * no write of that long is known to be on a replica.
 */
@AutoConfiguration(after = HaRedisConnectionAutoConfiguration.class)
@ConditionalOnBean(SentinelTopology.class)
@ConditionalOnProperty("ha.redis.fence.max-replica-lag")
@EnableConfigurationProperties(HaRedisFenceProperties.class)
public final class HaRedisFenceAutoConfiguration {

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

	static ReplicationFenceProbe.Settings settings(HaRedisFenceProperties properties) {
		// Checked when bound (HaRedisFenceProperties#validate); the condition guarantees it is set.
		return new ReplicationFenceProbe.Settings(Objects.requireNonNull(properties.getMaxReplicaLag()),
				properties.getMinReplicas(), properties.getProbeInterval());
	}

}
