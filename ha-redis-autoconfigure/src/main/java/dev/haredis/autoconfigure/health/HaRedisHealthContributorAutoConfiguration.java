package dev.haredis.autoconfigure.health;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.fence.ReplicationFence;
import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * {@code redisSentinel} health indicator. The task queue's own ({@code redisQueue}) is configured next to the queue,
 * by {@code HaRedisQueueHealthContributorAutoConfiguration}.
 */
@AutoConfiguration(after = HaRedisConnectionAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(SentinelTopology.class)
public final class HaRedisHealthContributorAutoConfiguration {

	/** Recent sentinel events shown in the health details. */
	private static final int EVENTS_SHOWN = 10;

	@Bean
	@ConditionalOnMissingBean(name = "redisSentinelHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("redisSentinel")
	SentinelTopologyHealthIndicator redisSentinelHealthIndicator(SentinelTopology sentinelTopology,
			ObjectProvider<ReplicationFence> fence) {
		return new SentinelTopologyHealthIndicator(sentinelTopology, EVENTS_SHOWN, fence.getIfAvailable());
	}

}
