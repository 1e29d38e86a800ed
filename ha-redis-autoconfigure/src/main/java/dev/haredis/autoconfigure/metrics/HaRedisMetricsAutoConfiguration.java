package dev.haredis.autoconfigure.metrics;

import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.haredis.autoconfigure.cache.HaRedisCacheAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.autoconfigure.queue.HaRedisQueueAutoConfiguration;
import dev.haredis.cache.CacheOutage;
import dev.haredis.messaging.SubscriptionRecoveryProbes;
import dev.haredis.metrics.CacheOutageMetrics;
import dev.haredis.metrics.SubscriptionRecoveryMetrics;
import dev.haredis.metrics.SentinelTopologyMetrics;
import dev.haredis.metrics.TaskQueueMetrics;
import dev.haredis.queue.DeclaredQueues;
import dev.haredis.queue.TaskHandlers;
import dev.haredis.queue.TaskQueue;
import dev.haredis.queue.TaskQueueObserver;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the ha-redis meters:
 * topology, cache, messaging and task queue. Spring Boot binds {@link MeterBinder} beans to every meter registry.
 */
@AutoConfiguration(after = { HaRedisConnectionAutoConfiguration.class, HaRedisCacheAutoConfiguration.class,
		HaRedisMessagingAutoConfiguration.class, HaRedisQueueAutoConfiguration.class })
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
	@ConditionalOnBean(CacheOutage.class)
	static class CacheMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CacheOutageMetrics haRedisCacheOutageMetrics(CacheOutage haRedisCacheOutage) {
			return new CacheOutageMetrics(haRedisCacheOutage);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(TaskQueue.class)
	static class QueueMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "haRedisTaskQueueMetrics")
		TaskQueueObserver haRedisTaskQueueMetrics(ObjectProvider<MeterRegistry> meterRegistry,
				ObjectProvider<DeclaredQueues> declaredQueues) {
			MeterRegistry registry = meterRegistry.getIfAvailable();
			return (registry != null) ? new TaskQueueMetrics(registry,
					declaredQueues.getIfAvailable(() -> new DeclaredQueues(new TaskHandlers(), Set.of())))
					: TaskQueueObserver.NONE;
		}

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
