package dev.haredis.autoconfigure.queue;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

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
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisProperties;
import dev.haredis.autoconfigure.connection.MasterConnectionFactoryBuilder;
import dev.haredis.autoconfigure.connection.ConnectionFactoryBuilder;
import dev.haredis.autoconfigure.purpose.ConnectionPurpose;
import dev.haredis.durability.DurableWrites;
import dev.haredis.queue.TaskHandlers;
import dev.haredis.queue.TaskPayloads;
import dev.haredis.queue.TaskQueueObserver;
import dev.haredis.queue.TaskQueueOperations;
import dev.haredis.queue.TaskQueueSettings;
import dev.haredis.queue.TaskQueueStates;
import dev.haredis.queue.TaskQueueTemplate;
import dev.haredis.queue.TaskWorkers;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the task queue on
 * Redis Streams: a connection factory of its own ({@code ha.redis.queue.*}), the {@link TaskQueueOperations} to
 * enqueue with (a {@link TaskQueueTemplate}, unless the application has its own), and workers for every queue with
 * a {@code @TaskListener} method or a handler registered with {@link TaskHandlers}. Payloads and results are plain
 * JSON, written with a copy of the application's {@link JsonMapper} with its default typing off.
 */
@AutoConfiguration(after = { HaRedisConnectionAutoConfiguration.class, HaRedisClusterAutoConfiguration.class },
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnBean(ConnectionFactoryBuilder.class)
@ConditionalOnBooleanProperty(name = "ha.redis.queue.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HaRedisQueueProperties.class)
public final class HaRedisQueueAutoConfiguration {

	/**
	 * The name (and qualifier) of the queue's connection factory.
	 */
	public static final String CONNECTION_FACTORY = "haRedisQueueConnectionFactory";

	// WAIT must reach the node that took the write: on a Sentinel topology's master only, for now.
	@Bean(defaultCandidate = false)
	@ConditionalOnBean(MasterConnectionFactoryBuilder.class)
	@ConditionalOnMissingBean(name = "haRedisQueueDurableWrites")
	DurableWrites haRedisQueueDurableWrites(ConnectionFactoryBuilder builder,
			HaRedisQueueProperties properties, HaRedisProperties haRedisProperties) {
		HaRedisProperties.Durability durability = haRedisProperties.getDurability();
		return new DurableWrites(builder.withOverrides(properties).dedicated(durability.getPoolSize()).build(),
				durability.getMinReplicas(), durability.getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskQueueSettings haRedisTaskQueueSettings(HaRedisQueueProperties properties, ConnectionFactoryBuilder builder) {
		if (builder.isCluster() && properties.isDurable()) {
			throw new HaRedisConfigurationException("ha.redis.queue.durable",
					"durable enqueues wait (WAIT) for the replicas of the node that took the write, which a Redis "
							+ "Cluster connection cannot do yet",
					"Remove ha.redis.queue.durable, or run the queue on a Sentinel topology");
		}
		return settings(properties, builder.isCluster());
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
	@ConditionalOnMissingBean(TaskQueueOperations.class)
	TaskQueueOperations taskQueue(@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			@Qualifier("haRedisQueueDurableWrites") ObjectProvider<DurableWrites> durableWrites, TaskPayloads payloads,
			TaskQueueSettings settings, HaRedisQueueProperties properties,
			ObjectProvider<TaskQueueObserver> observers, ConnectionFactoryBuilder builder) {
		if (builder.isCluster() && !settings.hashTags()) {
			// An application's own settings: its scripts would fail with CROSSSLOT on every task.
			throw new HaRedisConfigurationException("TaskQueueSettings",
					"the application's TaskQueueSettings bean has hashTags false, but the queue runs on a Redis "
							+ "Cluster, where every key of a queue must share its slot",
					"Create the TaskQueueSettings with hashTags true, or remove the bean to use ha.redis.queue.*");
		}
		return new TaskQueueTemplate(template(connectionFactory), durableWrites.getIfAvailable(), payloads, settings,
				properties.getDefaultQueue(), TaskQueueObserver.all(observers.orderedStream().toList()),
				properties.isDurable());
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

	/**
	 * Return the queues declared in the properties: {@code declared-queues} and the default queue.
	 */
	static Set<String> declaredQueues(HaRedisQueueProperties properties) {
		Set<String> names = new LinkedHashSet<>(properties.getDeclaredQueues());
		names.add(properties.getDefaultQueue());
		return names;
	}

	static TaskQueueSettings settings(HaRedisQueueProperties properties, boolean hashTags) {
		// the values were checked when the properties were bound (HaRedisQueueProperties.validate)
		HaRedisQueueProperties.BackOff backOff = properties.getBackOff();
		return new TaskQueueSettings(keyPrefix(properties), properties.getGroup(), properties.getVisibilityTimeout(),
				properties.getMaxAttempts(),
				new TaskQueueSettings.BackOff(backOff.getInitial(), backOff.getMultiplier(), backOff.getMax()),
				properties.getDeadLetter(), properties.getConcurrency(), properties.getBatchSize(),
				properties.getBlockTimeout(), properties.getMaxLength(), properties.getDeadLetterMaxLength(),
				properties.getResultTtl(), properties.isTrackStarted(), properties.getShutdownTimeout(), hashTags);
	}

	/**
	 * The queue's connection factory and its purpose, unless the application has a factory of that name.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	static class QueueConnectionConfiguration {

		@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
		LettuceConnectionFactory haRedisQueueConnectionFactory(ConnectionFactoryBuilder builder,
				HaRedisQueueProperties properties) {
			// Each worker holds a connection of its own while it reads with BLOCK.
			return builder.withOverrides(properties).unpooled().build();
		}

		@Bean
		ConnectionPurpose haRedisQueueConnectionPurpose(ConnectionFactoryBuilder builder,
				HaRedisQueueProperties properties,
				@Qualifier(CONNECTION_FACTORY) LettuceConnectionFactory connectionFactory) {
			return ConnectionPurpose.storingKeys(properties, builder, keyPrefix(properties), connectionFactory);
		}

	}

}
