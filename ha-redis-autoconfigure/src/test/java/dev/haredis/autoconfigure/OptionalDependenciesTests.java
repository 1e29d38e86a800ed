package dev.haredis.autoconfigure;

import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import dev.haredis.test.LocalPorts;
import dev.haredis.topology.SentinelTopology;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every ha-redis auto-configuration, with and without the optional actuator and Micrometer: the starter no longer
 * brings them, so an application without them must start with the connection, cache, sessions, messaging, queue
 * and events, just without health indicators and meters.
 */
class OptionalDependenciesTests {

	/** Actuator (health included) and Micrometer, as an application without {@code spring-boot-starter-actuator}. */
	private static final FilteredClassLoader WITHOUT_ACTUATOR_AND_MICROMETER = new FilteredClassLoader(
			"org.springframework.boot.health", "org.springframework.boot.actuate", "io.micrometer.core",
			"io.micrometer.observation");

	private static final List<String> HEALTH_INDICATORS = List.of("redisSentinelHealthIndicator",
			"redisQueueHealthIndicator");

	private static final List<String> METERS = List.of("sentinelTopologyMetrics", "haRedisCacheOutageMetrics",
			"haRedisTaskQueueMetrics", "haRedisSubscriptionRecoveryMetrics");

	private static final List<String> CONNECTION_FACTORIES = List.of("redisConnectionFactory",
			"haRedisCacheConnectionFactory", "haRedisSessionConnectionFactory", "haRedisMessagingConnectionFactory",
			"haRedisQueueConnectionFactory");

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(Stream
			.concat(haRedisAutoConfigurations().stream(),
					Stream.of(DataRedisAutoConfiguration.class, CacheAutoConfiguration.class,
							SessionAutoConfiguration.class, SessionDataRedisAutoConfiguration.class))
			.toArray(Class<?>[]::new)))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());

	@Test
	void everyAutoConfigurationIsListed() {
		assertThat(haRedisAutoConfigurations()).extracting(Class::getSimpleName)
			.contains("HaRedisConnectionAutoConfiguration", "HaRedisCacheAutoConfiguration",
					"HaRedisSessionAutoConfiguration", "HaRedisMessagingAutoConfiguration",
					"HaRedisQueueAutoConfiguration", "HaRedisQueueHealthContributorAutoConfiguration",
					"HaRedisQueueMetricsAutoConfiguration", "HaRedisCacheMetricsAutoConfiguration",
					"HaRedisHealthContributorAutoConfiguration", "HaRedisMetricsAutoConfiguration");
	}

	@Test
	void startsEverythingButHealthAndMetersWithoutActuatorAndMicrometer() {
		this.runner.withClassLoader(WITHOUT_ACTUATOR_AND_MICROMETER).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SentinelTopology.class);
			assertBeans(context, CONNECTION_FACTORIES, true);
			assertThat(context).hasBean("haRedisTopologyEventPublisher").hasBean("taskQueue");
			assertBeans(context, HEALTH_INDICATORS, false);
			assertBeans(context, METERS, false);
		});
	}

	@Test
	void addsHealthWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertBeans(context, HEALTH_INDICATORS, true);
			assertBeans(context, METERS, false);
		});
	}

	@Test
	void addsMetersWithoutActuator() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health",
				"org.springframework.boot.actuate"))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertBeans(context, HEALTH_INDICATORS, false);
				assertBeans(context, METERS, true);
			});
	}

	@Test
	void addsHealthAndMetersWithActuatorAndMicrometer() {
		this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertBeans(context, CONNECTION_FACTORIES, true);
			assertBeans(context, HEALTH_INDICATORS, true);
			assertBeans(context, METERS, true);
		});
	}

	private static void assertBeans(AssertableWebApplicationContext context, List<String> names, boolean present) {
		assertThat(names).allSatisfy((name) -> assertThat(context.containsBean(name)).as(name).isEqualTo(present));
	}

	private static List<Class<?>> haRedisAutoConfigurations() {
		ClassLoader classLoader = OptionalDependenciesTests.class.getClassLoader();
		return ImportCandidates.load(AutoConfiguration.class, classLoader)
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("dev.haredis."))
			.<Class<?>>map((name) -> ClassUtils.resolveClassName(name, classLoader))
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
