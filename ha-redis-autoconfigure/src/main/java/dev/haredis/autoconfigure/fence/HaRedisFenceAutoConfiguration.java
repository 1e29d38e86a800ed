package dev.haredis.autoconfigure.fence;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
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
		Duration maxReplicaLag = Objects.requireNonNull(properties.getMaxReplicaLag());
		if (maxReplicaLag.isNegative() || maxReplicaLag.isZero()) {
			throw new HaRedisConfigurationException("ha.redis.fence.max-replica-lag",
					"must be positive, was " + maxReplicaLag, "Set it to how long writes may go unreplicated, e.g. "
							+ "500ms, or remove it to switch the fence off");
		}
		if (properties.getMinReplicas() < 1) {
			throw new HaRedisConfigurationException("ha.redis.fence.min-replicas",
					"must be at least 1, was " + properties.getMinReplicas(),
					"Set it to 1 or more, or remove ha.redis.fence.max-replica-lag to switch the fence off");
		}
		Duration probeInterval = properties.getProbeInterval();
		if (probeInterval.isNegative() || probeInterval.isZero()
				|| probeInterval.multipliedBy(2).compareTo(maxReplicaLag) >= 0) {
			throw new HaRedisConfigurationException("ha.redis.fence.probe-interval",
					"must be positive and under half of ha.redis.fence.max-replica-lag (" + maxReplicaLag.toMillis()
							+ "ms), was " + probeInterval.toMillis() + "ms",
					"Lower ha.redis.fence.probe-interval (default 100ms) or raise ha.redis.fence.max-replica-lag");
		}
		return new ReplicationFenceProbe.Settings(maxReplicaLag, properties.getMinReplicas(), probeInterval);
	}

}
