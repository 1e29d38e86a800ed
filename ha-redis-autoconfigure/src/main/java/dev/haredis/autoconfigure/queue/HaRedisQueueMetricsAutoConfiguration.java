package dev.haredis.autoconfigure.queue;

import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.haredis.queue.TaskHandlers;
import dev.haredis.queue.TaskQueueMetrics;
import dev.haredis.queue.TaskQueueObserver;
import dev.haredis.queue.TaskQueueOperations;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the task queue's
 * meters ({@code ha.redis.queue.*}), when Micrometer is on the class path and the task queue is configured. Off
 * with {@code ha.redis.metrics.enabled=false}, like the other ha-redis meters.
 */
@AutoConfiguration(after = HaRedisQueueAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(TaskQueueOperations.class)
@ConditionalOnBooleanProperty(name = "ha.redis.metrics.enabled", matchIfMissing = true)
public final class HaRedisQueueMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "haRedisTaskQueueMetrics")
	TaskQueueObserver haRedisTaskQueueMetrics(ObjectProvider<MeterRegistry> meterRegistry,
			ObjectProvider<TaskHandlers> handlers, ObjectProvider<HaRedisQueueProperties> properties) {
		MeterRegistry registry = meterRegistry.getIfAvailable();
		if (registry == null) {
			return TaskQueueObserver.NONE;
		}
		HaRedisQueueProperties queueProperties = properties.getIfAvailable();
		return new TaskQueueMetrics(registry, handlers.getIfAvailable(TaskHandlers::new),
				(queueProperties != null) ? HaRedisQueueAutoConfiguration.declaredQueues(queueProperties) : Set.of());
	}

}
