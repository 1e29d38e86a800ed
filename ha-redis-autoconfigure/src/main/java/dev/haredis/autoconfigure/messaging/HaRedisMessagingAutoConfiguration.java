package dev.haredis.autoconfigure.messaging;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.RedisMessageListenerContainerConfigurer;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.ConnectionFactoryBuilder;
import dev.haredis.autoconfigure.purpose.ConnectionPurpose;
import dev.haredis.messaging.internal.SubscriptionRecoveryProbes;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of Redis messaging
 * through the topology's master: a connection factory of its own ({@code ha.redis.messaging.*}) and a
 * {@link RedisMessageListenerContainer} on it whose subscriptions follow the master, and probes that report when
 * each container of the application receives again after a switch.
 */
@AutoConfiguration(after = { HaRedisConnectionAutoConfiguration.class, HaRedisClusterAutoConfiguration.class })
@ConditionalOnBean(ConnectionFactoryBuilder.class)
@ConditionalOnBooleanProperty(name = "ha.redis.messaging.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HaRedisMessagingProperties.class)
public final class HaRedisMessagingAutoConfiguration {

	/**
	 * The name (and qualifier) of the messaging connection factory.
	 */
	public static final String CONNECTION_FACTORY = "haRedisMessagingConnectionFactory";

	// Primary: Spring Session's indexed repository adds a container of its own, which the application's
	// injection points by type must not run into.
	@Bean
	@Primary
	@ConditionalOnMissingBean
	RedisMessageListenerContainer redisMessageListenerContainer(
			@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory, DataRedisProperties bootProperties,
			Environment environment) {
		// As Spring Boot's own container: spring.data.redis.listener.* and virtual threads.
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		new RedisMessageListenerContainerConfigurer(bootProperties).configure(container, connectionFactory);
		if (Threading.VIRTUAL.isActive(environment)) {
			container.setTaskExecutor(
					new VirtualThreadTaskExecutor(RedisMessageListenerContainer.DEFAULT_THREAD_NAME_PREFIX));
		}
		return container;
	}

	@Bean
	@ConditionalOnMissingBean
	SubscriptionRecoveryProbes haRedisSubscriptionRecoveryProbes(ListableBeanFactory beanFactory,
			@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			HaRedisMessagingProperties properties, ApplicationEventPublisher publisher) {
		return new SubscriptionRecoveryProbes(beanFactory, connectionFactory, publisher::publishEvent,
				properties.getResubscribeTimeout());
	}

	/**
	 * The messaging connection factory and its purpose, unless the application has a factory of that name.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	static class MessagingConnectionConfiguration {

		@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
		LettuceConnectionFactory haRedisMessagingConnectionFactory(ConnectionFactoryBuilder builder,
				HaRedisMessagingProperties properties) {
			// Each subscriber holds a connection of its own for as long as it listens.
			return builder.withOverrides(properties).unpooled().build();
		}

		@Bean
		ConnectionPurpose haRedisMessagingConnectionPurpose(ConnectionFactoryBuilder builder,
				HaRedisMessagingProperties properties,
				@Qualifier(CONNECTION_FACTORY) LettuceConnectionFactory connectionFactory) {
			// Pub/sub writes no keys; the task queue does, under its own prefix.
			return ConnectionPurpose.withoutKeys(properties, builder, connectionFactory);
		}

	}

}
