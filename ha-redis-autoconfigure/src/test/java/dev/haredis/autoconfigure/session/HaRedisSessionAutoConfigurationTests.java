package dev.haredis.autoconfigure.session;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.test.util.ReflectionTestUtils;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.session.KeyspaceNotificationsReconfigurer;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class HaRedisSessionAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisSessionAutoConfiguration.class, DataRedisAutoConfiguration.class, SessionAutoConfiguration.class,
				SessionDataRedisAutoConfiguration.class))
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());

	@Test
	void springSessionUsesTheSessionConnectionFactory() {
		this.runner.withPropertyValues("ha.redis.session.database=4").run((context) -> {
			RedisSessionRepository repository = context.getBean(RedisSessionRepository.class);
			Object template = ReflectionTestUtils.getField(repository, "sessionRedisOperations");
			RedisConnectionFactory used = (RedisConnectionFactory) ReflectionTestUtils.getField(template,
					"connectionFactory");
			assertThat(used).isSameAs(context.getBean(HaRedisSessionAutoConfiguration.CONNECTION_FACTORY));
			assertThat(((MasterLettuceConnectionFactory) used).getDatabase()).isEqualTo(4);
			assertThat(context.getBean(RedisConnectionFactory.class)).isSameAs(context.getBean("redisConnectionFactory"));
		});
	}

	@Test
	void keyPrefixGoesInFrontOfTheNamespace() {
		this.runner.withPropertyValues("ha.redis.session.key-prefix=shop:").run((context) -> {
			RedisSessionRepository repository = context.getBean(RedisSessionRepository.class);
			assertThat(ReflectionTestUtils.getField(repository, "keyNamespace")).isEqualTo("shop:spring:session:");
		});
		this.runner.withPropertyValues("ha.redis.session.key-prefix=shop:", "spring.session.data.redis.namespace=web")
			.run((context) -> assertThat(
					ReflectionTestUtils.getField(context.getBean(RedisSessionRepository.class), "keyNamespace"))
				.isEqualTo("shop:web:"));
	}

	@Test
	void reconfiguresKeyspaceNotificationsOnNewMasters() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(KeyspaceNotificationsReconfigurer.class));
	}

	@Test
	void theApplicationsSessionConnectionFactoryWins() {
		MasterLettuceConnectionFactory own = mock(MasterLettuceConnectionFactory.class);
		this.runner
			.withBean(HaRedisSessionAutoConfiguration.CONNECTION_FACTORY, MasterLettuceConnectionFactory.class,
					() -> own, (definition) -> ((AbstractBeanDefinition) definition).setDefaultCandidate(false))
			.run((context) -> assertThat(context.getBean(HaRedisSessionAutoConfiguration.CONNECTION_FACTORY))
				.isSameAs(own));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("ha.redis.session.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HaRedisSessionAutoConfiguration.CONNECTION_FACTORY)
				.doesNotHaveBean(KeyspaceNotificationsReconfigurer.class)
				.hasSingleBean(RedisSessionRepository.class));
	}

	@Test
	void backsOffWithoutSpringSession() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.session"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(HaRedisSessionAutoConfiguration.CONNECTION_FACTORY));
	}

}
