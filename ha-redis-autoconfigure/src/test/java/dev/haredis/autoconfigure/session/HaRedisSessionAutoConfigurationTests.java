package dev.haredis.autoconfigure.session;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.test.util.ReflectionTestUtils;

import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.cluster.ClusterLettuceConnectionFactory;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.gadget.Gadget;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;

@ExtendWith(OutputCaptureExtension.class)
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
	void sessionEventsOfEveryShardAreRelayedOnAClusterOnly() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ClusterSessionEvents.class));
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HaRedisClusterAutoConfiguration.class,
					HaRedisSessionAutoConfiguration.class, DataRedisAutoConfiguration.class,
					SessionAutoConfiguration.class, SessionDataRedisAutoConfiguration.class))
			.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.cluster.nodes=127.0.0.1:" + LocalPorts.unused())
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterSessionEvents.class);
				assertThat(context.getBean(HaRedisSessionAutoConfiguration.CONNECTION_FACTORY))
					.isInstanceOf(ClusterLettuceConnectionFactory.class);
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
	void sessionsKeepSpringSessionsJavaSerializationByDefault() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(HaRedisSessionAutoConfiguration.DEFAULT_SERIALIZER);
			assertThat(sessionValueSerializer(context.getBean(RedisSessionRepository.class)))
				.isInstanceOf(JdkSerializationRedisSerializer.class);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void jsonSessionsWriteAttributesAsJsonRestrictedToTheApplicationsPackage() {
		this.runner.withUserConfiguration(ApplicationPackage.class)
			.withPropertyValues("ha.redis.session.value-format=json")
			.run((context) -> {
				RedisSerializer<?> used = sessionValueSerializer(context.getBean(RedisSessionRepository.class));
				assertThat(used).isInstanceOf(GenericJacksonJsonRedisSerializer.class)
					.isSameAs(context.getBean(HaRedisSessionAutoConfiguration.DEFAULT_SERIALIZER));
				byte[] json = ((RedisSerializer<Object>) used).serialize(new Cart("tea"));
				assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"item\":\"tea\"");
				assertThat(used.deserialize(json)).isEqualTo(new Cart("tea"));
				Gadget.instantiated.set(0);
				assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> used
					.deserialize("{\"@class\":\"dev.haredis.gadget.Gadget\"}".getBytes(StandardCharsets.UTF_8)));
				assertThat(Gadget.instantiated).hasValue(0);
			});
	}

	@Test
	void jsonSessionsWarnAboutBroadTrustedPackages(CapturedOutput output) {
		this.runner.withUserConfiguration(ApplicationPackage.class)
			.withPropertyValues("ha.redis.session.value-format=json", "ha.redis.session.trusted-packages=org")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).containsOnlyOnce("ha.redis.session.trusted-packages trusts org, broader than");
			});
	}

	@Test
	void theApplicationsSessionSerializerWins() {
		RedisSerializer<Object> own = new JdkSerializationRedisSerializer();
		this.runner.withPropertyValues("ha.redis.session.value-format=json")
			.withBean(HaRedisSessionAutoConfiguration.DEFAULT_SERIALIZER, RedisSerializer.class, () -> own)
			.run((context) -> assertThat(sessionValueSerializer(context.getBean(RedisSessionRepository.class)))
				.isSameAs(own));
	}

	@Test
	void jsonSessionsWithoutJacksonFailNamingTheProperty() {
		this.runner.withPropertyValues("ha.redis.session.value-format=json")
			.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(HaRedisConfigurationException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo("ha.redis.session.value-format")));
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

	private static RedisSerializer<?> sessionValueSerializer(RedisSessionRepository repository) {
		RedisTemplate<?, ?> template = (RedisTemplate<?, ?>) ReflectionTestUtils.getField(repository,
				"sessionRedisOperations");
		return template.getHashValueSerializer();
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	static class ApplicationPackage {

	}

	record Cart(String item) {

	}

}
