package dev.haredis.autoconfigure.queue;

import java.time.Clock;
import java.time.Duration;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisProperties;
import dev.haredis.autoconfigure.connection.MasterConnectionFactoryBuilder;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.durability.DurableWrites;
import dev.haredis.queue.TaskHandlers;
import dev.haredis.queue.TaskListenerMethodRegistrar;
import dev.haredis.queue.TaskPayloads;
import dev.haredis.queue.TaskQueue;
import dev.haredis.queue.TaskQueueObserver;
import dev.haredis.queue.TaskQueueSettings;
import dev.haredis.queue.TaskQueueStates;
import dev.haredis.queue.TaskWorkers;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the task queue on
 * Redis Streams: a connection factory of its own ({@code ha.redis.queue.*}), the {@link TaskQueue} to enqueue
 * with, and workers for every queue with a {@code @TaskListener} method or a handler registered with
 * {@link TaskHandlers}. Payloads and results are plain JSON, written with a copy of the application's
 * {@link JsonMapper} with its default typing off.
 */
@AutoConfiguration(after = HaRedisConnectionAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnBean(MasterConnectionFactoryBuilder.class)
@ConditionalOnBooleanProperty(name = "ha.redis.queue.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HaRedisQueueProperties.class)
public final class HaRedisQueueAutoConfiguration {

	/**
	 * The name (and qualifier) of the queue's connection factory.
	 */
	public static final String CONNECTION_FACTORY = "haRedisQueueConnectionFactory";

	@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	MasterLettuceConnectionFactory haRedisQueueConnectionFactory(MasterConnectionFactoryBuilder builder,
			HaRedisQueueProperties properties) {
		return builder.purpose(properties, keyPrefix(properties), true);
	}

	@Bean(defaultCandidate = false)
	@ConditionalOnMissingBean(name = "haRedisQueueDurableWrites")
	DurableWrites haRedisQueueDurableWrites(MasterConnectionFactoryBuilder builder,
			HaRedisQueueProperties properties, HaRedisProperties haRedisProperties) {
		HaRedisProperties.Durability durability = haRedisProperties.getDurability();
		return new DurableWrites(builder.dedicatedPurpose(properties, durability.getPoolSize()),
				durability.getMinReplicas(), durability.getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskQueueSettings haRedisTaskQueueSettings(HaRedisQueueProperties properties) {
		return settings(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskPayloads haRedisTaskPayloads(ObjectProvider<JsonMapper> jsonMapper) {
		return new TaskPayloads(jsonMapper.getIfAvailable(JsonMapper::new));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskQueueStates haRedisTaskQueueStates() {
		return new TaskQueueStates();
	}

	@Bean
	@ConditionalOnMissingBean
	TaskHandlers haRedisTaskHandlers() {
		return new TaskHandlers();
	}

	@Bean
	static TaskListenerMethodRegistrar haRedisTaskListenerMethodRegistrar(ObjectProvider<TaskHandlers> handlers) {
		// Static, and with a lazy handler lookup: bean post-processors are created before the other beans.
		return new TaskListenerMethodRegistrar(handlers::getObject);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskQueue taskQueue(@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			@Qualifier("haRedisQueueDurableWrites") DurableWrites durableWrites, TaskPayloads payloads,
			TaskQueueSettings settings, HaRedisQueueProperties properties,
			ObjectProvider<TaskQueueObserver> observers) {
		return new TaskQueue(template(connectionFactory), durableWrites, payloads, settings,
				properties.getDefaultQueue(), TaskQueueObserver.all(observers.orderedStream().toList()),
				Clock.systemUTC(), properties.isDurable());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskWorkers haRedisTaskWorkers(TaskHandlers handlers,
			@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory, TaskPayloads payloads,
			TaskQueueSettings settings, ObjectProvider<TaskQueueObserver> observers) {
		return new TaskWorkers(handlers, connectionFactory, template(connectionFactory), payloads, settings,
				TaskQueueObserver.all(observers.orderedStream().toList()), Clock.systemUTC());
	}

	private static StringRedisTemplate template(RedisConnectionFactory connectionFactory) {
		StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
		template.afterPropertiesSet();
		return template;
	}

	static String keyPrefix(HaRedisQueueProperties properties) {
		return (properties.getKeyPrefix() != null) ? properties.getKeyPrefix()
				: HaRedisQueueProperties.DEFAULT_KEY_PREFIX;
	}

	static TaskQueueSettings settings(HaRedisQueueProperties properties) {
		atLeast("ha.redis.queue.max-attempts", properties.getMaxAttempts(), 1);
		atLeast("ha.redis.queue.concurrency", properties.getConcurrency(), 1);
		atLeast("ha.redis.queue.batch-size", properties.getBatchSize(), 1);
		atLeast("ha.redis.queue.max-length", properties.getMaxLength(), 1);
		positive("ha.redis.queue.visibility-timeout", properties.getVisibilityTimeout());
		positive("ha.redis.queue.block-timeout", properties.getBlockTimeout());
		if (properties.getBlockTimeout().compareTo(properties.getVisibilityTimeout()) >= 0) {
			throw new HaRedisConfigurationException("ha.redis.queue.block-timeout",
					properties.getBlockTimeout() + " is not shorter than the visibility timeout "
							+ properties.getVisibilityTimeout(),
					"Use a block timeout of a second or so, well below ha.redis.queue.visibility-timeout");
		}
		if (properties.getResultTtl().isNegative()) {
			throw new HaRedisConfigurationException("ha.redis.queue.result-ttl", "it is negative",
					"Use 0 to keep no results, or a positive duration such as 1d");
		}
		HaRedisQueueProperties.BackOff backOff = properties.getBackOff();
		positive("ha.redis.queue.back-off.initial", backOff.getInitial());
		if (backOff.getMultiplier() < 1) {
			throw new HaRedisConfigurationException("ha.redis.queue.back-off.multiplier",
					backOff.getMultiplier() + " would shorten the delays", "Use 1 (constant delays) or more");
		}
		if (!properties.getDeadLetter().contains("{queue}")) {
			throw new HaRedisConfigurationException("ha.redis.queue.dead-letter",
					"'" + properties.getDeadLetter() + "' does not contain '{queue}', so every queue's failed tasks "
							+ "would go to the same dead-letter queue and could not be told apart by queue",
					"Use a name such as '{queue}.dead-letter'");
		}
		return new TaskQueueSettings(keyPrefix(properties), properties.getGroup(), properties.getVisibilityTimeout(),
				properties.getMaxAttempts(),
				new TaskQueueSettings.BackOff(backOff.getInitial(), backOff.getMultiplier(), backOff.getMax()),
				properties.getDeadLetter(), properties.getConcurrency(), properties.getBatchSize(),
				properties.getBlockTimeout(), properties.getMaxLength(), properties.getResultTtl(),
				properties.isTrackStarted(), properties.getShutdownTimeout());
	}

	private static void atLeast(String property, long value, long minimum) {
		if (value < minimum) {
			throw new HaRedisConfigurationException(property, value + " is below " + minimum,
					"Use " + minimum + " or more");
		}
	}

	private static void positive(String property, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new HaRedisConfigurationException(property, value + " is not a positive duration",
					"Use a positive duration, for example 1s");
		}
	}

}
