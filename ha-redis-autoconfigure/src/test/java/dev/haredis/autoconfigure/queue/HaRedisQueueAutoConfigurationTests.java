package dev.haredis.autoconfigure.queue;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.queue.TaskHandlers;
import dev.haredis.queue.TaskQueueMetrics;
import dev.haredis.queue.TaskQueueObserver;
import dev.haredis.queue.TaskQueueOperations;
import dev.haredis.queue.TaskQueueSettings;
import dev.haredis.queue.TaskQueueTemplate;
import dev.haredis.queue.TaskResult;
import dev.haredis.queue.TaskWorkers;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;

class HaRedisQueueAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisQueueAutoConfiguration.class, DataRedisAutoConfiguration.class,
				HaRedisQueueMetricsAutoConfiguration.class))
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());

	private final ApplicationContextRunner clusterRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisClusterAutoConfiguration.class,
				HaRedisQueueAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.cluster.nodes=127.0.0.1:" + LocalPorts.unused());

	@Test
	void onAClusterKeysCarryHashTagsAndDurableEnqueuesAreRefused() {
		this.clusterRunner.run((context) -> {
			assertThat(context.getBean(TaskQueueSettings.class).hashTags()).isTrue();
			assertThat(context).doesNotHaveBean("haRedisQueueDurableWrites");
		});
		this.clusterRunner.withPropertyValues("ha.redis.queue.durable=true").run((context) -> {
			assertThat(context).hasFailed();
			Throwable cause = context.getStartupFailure();
			while (!(cause instanceof HaRedisConfigurationException) && cause.getCause() != null) {
				cause = cause.getCause();
			}
			assertThat(cause).isInstanceOfSatisfying(HaRedisConfigurationException.class,
					(failure) -> assertThat(failure.getProperty()).isEqualTo("ha.redis.queue.durable"));
		});
		this.runner.run((context) -> assertThat(context.getBean(TaskQueueSettings.class).hashTags()).isFalse());
	}

	@Test
	void providesTheQueueOnItsOwnConnectionFactory() {
		this.runner.withPropertyValues("ha.redis.queue.database=6").run((context) -> {
			assertThat(context).hasSingleBean(TaskQueueOperations.class)
				.hasSingleBean(TaskWorkers.class)
				.hasSingleBean(TaskHandlers.class);
			MasterLettuceConnectionFactory factory = context.getBean(HaRedisQueueAutoConfiguration.CONNECTION_FACTORY,
					MasterLettuceConnectionFactory.class);
			assertThat(factory.getDatabase()).isEqualTo(6);
			assertThat(context.getBean(RedisConnectionFactory.class)).isSameAs(context.getBean("redisConnectionFactory"));
			TaskQueueSettings settings = context.getBean(TaskQueueSettings.class);
			assertThat(settings.keyPrefix()).isEqualTo("queue:");
			assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofMinutes(5));
			assertThat(settings.maxAttempts()).isEqualTo(3);
			assertThat(context.getBean(TaskQueueOperations.class).deadLetterQueue("emails")).isEqualTo("emails.dead-letter");
		});
	}

	@Test
	void recordsMetricsWhenAMeterRegistryIsThere() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context.getBean("haRedisTaskQueueMetrics")).isInstanceOf(TaskQueueMetrics.class));
		this.runner
			.run((context) -> assertThat(context.getBean("haRedisTaskQueueMetrics")).isSameAs(TaskQueueObserver.NONE));
	}

	@Test
	void recordsNoMetricsWhenTheyAreDisabledOrMicrometerIsMissing() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("ha.redis.metrics.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(TaskQueueOperations.class)
				.doesNotHaveBean("haRedisTaskQueueMetrics"));
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(TaskQueueOperations.class)
				.doesNotHaveBean("haRedisTaskQueueMetrics"));
	}

	@Test
	void metersDeclaredQueuesByNameAndAnyOtherUnderOneTag() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("ha.redis.queue.declared-queues=reports,invoices")
			.run((context) -> {
				context.getBean(TaskHandlers.class).register("emails", String.class, (payload, task) -> null);
				TaskQueueObserver metrics = context.getBean("haRedisTaskQueueMetrics", TaskQueueObserver.class);
				for (int i = 0; i < 1_000; i++) {
					metrics.enqueued("queue-" + i);
				}
				for (String declared : List.of("reports", "invoices", "emails", "default")) {
					metrics.enqueued(declared);
				}
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("ha.redis.queue.enqueued").counters()).extracting((c) -> c.getId().getTag("queue"))
					.containsExactlyInAnyOrder("reports", "invoices", "emails", "default", "other");
				assertThat(registry.get("ha.redis.queue.enqueued").tag("queue", "other").counter().count())
					.isEqualTo(1_000);
			});
	}

	@Test
	void boundsDeadLetterQueuesByDefault() {
		this.runner.run((context) -> assertThat(context.getBean(TaskQueueSettings.class).deadLetterMaxLength())
			.isEqualTo(10_000));
		this.runner.withPropertyValues("ha.redis.queue.dead-letter-max-length=500")
			.run((context) -> assertThat(context.getBean(TaskQueueSettings.class).deadLetterMaxLength()).isEqualTo(500));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("ha.redis.queue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskQueueOperations.class)
				.doesNotHaveBean(HaRedisQueueAutoConfiguration.CONNECTION_FACTORY));
	}

	@Test
	void backsOffWithoutJackson() {
		this.runner.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskQueueOperations.class));
	}

	@Test
	void providesATaskQueueTemplateAsTheOperations() {
		this.runner.run((context) -> assertThat(context).getBean("taskQueue").isInstanceOf(TaskQueueTemplate.class));
	}

	@Test
	void theApplicationsOwnTaskQueueOperationsReplaceTheTemplate() {
		this.runner.withBean(TaskQueueOperations.class, RecordingTaskQueue::new).run((context) -> {
			assertThat(context).hasSingleBean(TaskQueueOperations.class).doesNotHaveBean(TaskQueueTemplate.class);
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			assertThat(queue).isInstanceOf(RecordingTaskQueue.class);
			assertThat(queue.enqueue("emails", "hello")).isEqualTo("task-1");
			assertThat(((RecordingTaskQueue) queue).enqueued).containsExactly("emails:hello");
			assertThat(context).hasSingleBean(TaskWorkers.class);
		});
	}

	/**
	 * What an application's test might put in place of the template: records what is enqueued.
	 */
	static class RecordingTaskQueue implements TaskQueueOperations {

		final List<String> enqueued = new ArrayList<>();

		@Override
		public String enqueue(Object payload) {
			return enqueue("default", payload);
		}

		@Override
		public String enqueue(String queue, Object payload) {
			this.enqueued.add(queue + ":" + payload);
			return "task-" + this.enqueued.size();
		}

		@Override
		public String enqueueDurably(String queue, Object payload) {
			return enqueue(queue, payload);
		}

		@Override
		public List<String> enqueueAll(String queue, List<?> payloads) {
			return payloads.stream().map((payload) -> enqueue(queue, payload)).toList();
		}

		@Override
		public List<String> enqueueAllDurably(String queue, List<?> payloads) {
			return enqueueAll(queue, payloads);
		}

		@Override
		public TaskResult result(String taskId) {
			return TaskResult.unknown(taskId);
		}

		@Override
		public <T> @Nullable T value(TaskResult result, Type type) {
			return null;
		}

		@Override
		public String deadLetterQueue(String queue) {
			return queue + ".dead-letter";
		}

	}

}
