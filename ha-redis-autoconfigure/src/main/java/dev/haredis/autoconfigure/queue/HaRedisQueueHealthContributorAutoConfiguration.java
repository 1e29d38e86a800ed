package dev.haredis.autoconfigure.queue;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.haredis.queue.TaskQueueHealthIndicator;
import dev.haredis.queue.TaskQueueStates;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * {@code redisQueue} health indicator, when Spring Boot's health support is on the class path and the task queue
 * is configured.
 */
@AutoConfiguration(after = HaRedisQueueAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(TaskQueueStates.class)
public final class HaRedisQueueHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "redisQueueHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("redisQueue")
	TaskQueueHealthIndicator redisQueueHealthIndicator(TaskQueueStates taskQueueStates) {
		return new TaskQueueHealthIndicator(taskQueueStates);
	}

}
