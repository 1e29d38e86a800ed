package dev.haredis.autoconfigure.messaging;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.metrics.HaRedisMetricsAutoConfiguration;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.messaging.internal.SubscriptionRecoveryProbes;
import dev.haredis.metrics.SubscriptionRecoveryMetrics;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;

class HaRedisMessagingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisMessagingAutoConfiguration.class, DataRedisAutoConfiguration.class,
				HaRedisMetricsAutoConfiguration.class))
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());

	@Test
	void listenerContainerUsesTheMessagingConnectionFactory() {
		this.runner.withPropertyValues("ha.redis.messaging.client-name=chat").run((context) -> {
			RedisMessageListenerContainer container = context.getBean(RedisMessageListenerContainer.class);
			MasterLettuceConnectionFactory messaging = context
				.getBean(HaRedisMessagingAutoConfiguration.CONNECTION_FACTORY, MasterLettuceConnectionFactory.class);
			assertThat(container.getConnectionFactory()).isSameAs(messaging);
			assertThat(messaging.getClientName()).isEqualTo("chat");
			assertThat(context).hasSingleBean(SubscriptionRecoveryProbes.class)
				.hasSingleBean(SubscriptionRecoveryMetrics.class);
			assertThat(context.getBean(RedisConnectionFactory.class)).isSameAs(context.getBean("redisConnectionFactory"));
		});
	}

	@Test
	void theApplicationsContainerWinsAndIsProbed() {
		this.runner.withUserConfiguration(OwnContainer.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisMessageListenerContainer.class)
					.hasBean("myContainer")
					.hasSingleBean(SubscriptionRecoveryProbes.class);
				assertThat(context.getBean(SubscriptionRecoveryProbes.class).getContainerNames()).containsExactly("myContainer");
			});
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("ha.redis.messaging.enabled=false")
			.run((context) -> assertThat(context)
				.doesNotHaveBean(HaRedisMessagingAutoConfiguration.CONNECTION_FACTORY)
				.doesNotHaveBean(RedisMessageListenerContainer.class)
				.doesNotHaveBean(SubscriptionRecoveryProbes.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnContainer {

		@Bean
		RedisMessageListenerContainer myContainer(RedisConnectionFactory connectionFactory) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(connectionFactory);
			return container;
		}

	}

}
