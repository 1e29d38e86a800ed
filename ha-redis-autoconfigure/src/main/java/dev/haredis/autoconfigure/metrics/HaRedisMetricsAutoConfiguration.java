package dev.haredis.autoconfigure.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.messaging.internal.SubscriptionRecoveryProbes;
import dev.haredis.metrics.SubscriptionRecoveryMetrics;
import dev.haredis.metrics.SentinelTopologyMetrics;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the ha-redis meters:
 * topology and messaging. Spring Boot binds {@link MeterBinder} beans to every meter registry. The cache's and the
 * task queue's meters are configured next to them, by {@code HaRedisCacheMetricsAutoConfiguration} and
 * {@code HaRedisQueueMetricsAutoConfiguration}.
 */
@AutoConfiguration(after = { HaRedisConnectionAutoConfiguration.class, HaRedisMessagingAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(SentinelTopology.class)
@ConditionalOnBooleanProperty(name = "ha.redis.metrics.enabled", matchIfMissing = true)
public final class HaRedisMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SentinelTopologyMetrics sentinelTopologyMetrics(SentinelTopology sentinelTopology) {
		return new SentinelTopologyMetrics(sentinelTopology);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(SubscriptionRecoveryProbes.class)
	static class MessagingMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SubscriptionRecoveryMetrics haRedisSubscriptionRecoveryMetrics() {
			return new SubscriptionRecoveryMetrics();
		}

	}

}
