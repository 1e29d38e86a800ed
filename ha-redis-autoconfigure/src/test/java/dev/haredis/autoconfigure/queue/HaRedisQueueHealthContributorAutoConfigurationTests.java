package dev.haredis.autoconfigure.queue;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.haredis.queue.TaskQueueHealthIndicator;
import dev.haredis.queue.TaskQueueStates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class HaRedisQueueHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisQueueHealthContributorAutoConfiguration.class));

	@Test
	void registersTheQueueIndicatorWhenTheQueueIsThere() {
		this.runner.withBean(TaskQueueStates.class).run((context) -> {
			assertThat(context).hasSingleBean(TaskQueueHealthIndicator.class).hasBean("redisQueueHealthIndicator");
			assertThat(context.getBean(TaskQueueHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void backsOffWithoutTheQueue() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueHealthIndicator.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withBean(TaskQueueStates.class)
			.withPropertyValues("management.health.redisQueue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueHealthIndicator.class));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.runner.withBean(TaskQueueStates.class)
			.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskQueueHealthIndicator.class));
	}

	@Test
	void userIndicatorWins() {
		this.runner.withBean(TaskQueueStates.class)
			.withBean("redisQueueHealthIndicator", HealthIndicator.class, () -> mock(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueHealthIndicator.class)
				.hasBean("redisQueueHealthIndicator"));
	}

}
