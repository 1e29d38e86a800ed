package dev.haredis.autoconfigure.connection;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.api.StatefulConnection;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.haredis.autoconfigure.cache.HaRedisCacheAutoConfiguration;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's {@code spring.data.redis.*} settings, once ha-redis's factories replace Boot's: each one is carried
 * over to the application's factory and the per-purpose ones, or refused naming the {@code ha.redis} property to
 * set.
 */
class BootRedisSettingsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisCacheAutoConfiguration.class, HaRedisMessagingAutoConfiguration.class,
				DataRedisAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(Caching.class)
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());

	// Carried over

	@Test
	void carriesTheCommandTimeoutOver() {
		this.runner.withPropertyValues("spring.data.redis.timeout=4s").run((context) -> {
			assertThat(shared(context).getTimeout()).isEqualTo(4000);
			assertThat(cache(context).getTimeout()).isEqualTo(4000);
			assertThat(messaging(context).getTimeout()).isEqualTo(4000);
		});
	}

	@Test
	void purposeTimeoutStillWinsOverTheCarriedOverOne() {
		this.runner.withPropertyValues("spring.data.redis.timeout=4s", "ha.redis.messaging.timeout=9s")
			.run((context) -> assertThat(messaging(context).getTimeout()).isEqualTo(9000));
	}

	@Test
	void acceptsTheSameTimeoutBothWays() {
		this.runner.withPropertyValues("spring.data.redis.timeout=4s", "ha.redis.timeout=4000ms")
			.run((context) -> assertThat(shared(context).getTimeout()).isEqualTo(4000));
	}

	@Test
	void carriesTheConnectTimeoutOver() {
		this.runner.withPropertyValues("spring.data.redis.connect-timeout=750ms").run((context) -> {
			assertThat(clientConfiguration(shared(context)).getClientOptions().orElseThrow().getSocketOptions()
				.getConnectTimeout()).isEqualTo(Duration.ofMillis(750));
			assertThat(clientConfiguration(messaging(context)).getClientOptions().orElseThrow().getSocketOptions()
				.getConnectTimeout()).isEqualTo(Duration.ofMillis(750));
		});
	}

	@Test
	void carriesTheClientNameOver() {
		this.runner.withPropertyValues("spring.data.redis.client-name=orders").run((context) -> {
			assertThat(shared(context).getClientName()).isEqualTo("orders");
			assertThat(messaging(context).getClientName()).isEqualTo("orders");
		});
	}

	@Test
	void carriesTheLettuceShutdownTimeoutOver() {
		this.runner.withPropertyValues("spring.data.redis.lettuce.shutdown-timeout=250ms").run((context) -> {
			assertThat(clientConfiguration(shared(context)).getShutdownTimeout()).isEqualTo(Duration.ofMillis(250));
			assertThat(clientConfiguration(messaging(context)).getShutdownTimeout())
				.isEqualTo(Duration.ofMillis(250));
		});
	}

	@Test
	void poolsLikeSpringBootWhenCommonsPool2IsThere() {
		this.runner.withPropertyValues("spring.data.redis.lettuce.pool.max-active=16",
				"spring.data.redis.lettuce.pool.max-idle=4", "spring.data.redis.lettuce.pool.min-idle=1",
				"spring.data.redis.lettuce.pool.max-wait=2s",
				"spring.data.redis.lettuce.pool.time-between-eviction-runs=30s")
			.run((context) -> {
				for (LettuceConnectionFactory factory : List.of(shared(context), cache(context))) {
					GenericObjectPoolConfig<StatefulConnection<?, ?>> pool = pool(factory);
					assertThat(pool.getMaxTotal()).isEqualTo(16);
					assertThat(pool.getMaxIdle()).isEqualTo(4);
					assertThat(pool.getMinIdle()).isEqualTo(1);
					assertThat(pool.getMaxWaitDuration()).isEqualTo(Duration.ofSeconds(2));
					assertThat(pool.getDurationBetweenEvictionRuns()).isEqualTo(Duration.ofSeconds(30));
					assertThat(factory.getShareNativeConnection()).isTrue();
				}
			});
	}

	@Test
	void poolsWithSpringBootsDefaultsWhenCommonsPool2IsThere() {
		this.runner.run((context) -> {
			assertThat(pool(shared(context)).getMaxTotal()).isEqualTo(8);
			assertThat(pool(cache(context)).getMaxTotal()).isEqualTo(8);
		});
	}

	@Test
	void neverPoolsTheConnectionsSubscribersHoldForLong() {
		this.runner.withPropertyValues("spring.data.redis.lettuce.pool.enabled=true",
				"spring.data.redis.lettuce.pool.max-active=1")
			.run((context) -> assertThat(clientConfiguration(messaging(context)))
				.isNotInstanceOf(LettucePoolingClientConfiguration.class));
	}

	@Test
	void doesNotPoolWhenThePoolIsDisabled() {
		this.runner.withPropertyValues("spring.data.redis.lettuce.pool.enabled=false").run((context) -> {
			assertThat(clientConfiguration(shared(context))).isNotInstanceOf(LettucePoolingClientConfiguration.class);
			assertThat(clientConfiguration(cache(context))).isNotInstanceOf(LettucePoolingClientConfiguration.class);
		});
	}

	@Test
	void carriesTheListenerSettingsOverToTheListenerContainer() {
		this.runner
			.withPropertyValues("spring.data.redis.listener.auto-startup=false",
					"spring.data.redis.listener.subscription-registration-timeout=7s")
			.run((context) -> {
				RedisMessageListenerContainer container = context.getBean(RedisMessageListenerContainer.class);
				assertThat(container.isAutoStartup()).isFalse();
				assertThat(container).extracting("maxSubscriptionRegistrationWaitingTime").isEqualTo(7000L);
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void usesVirtualThreadsLikeSpringBoot() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			assertThat(shared(context)).extracting("executor")
				.isInstanceOfSatisfying(SimpleAsyncTaskExecutor.class,
						(executor) -> assertThat(executor.getThreadNamePrefix()).isEqualTo("redis-"));
			assertThat(messaging(context)).extracting("executor").isInstanceOf(SimpleAsyncTaskExecutor.class);
			assertThat(context.getBean(RedisMessageListenerContainer.class)).extracting("taskExecutor")
				.isInstanceOf(VirtualThreadTaskExecutor.class);
		});
	}

	@Test
	void usesPlatformThreadsByDefault() {
		this.runner.run((context) -> {
			assertThat(shared(context)).extracting("executor").isNull();
			assertThat(context.getBean(RedisMessageListenerContainer.class)).extracting("taskExecutor")
				.isNotInstanceOf(VirtualThreadTaskExecutor.class);
		});
	}

	@Test
	void acceptsBootsConnectionSettingsThatSayTheSame() {
		this.runner.withPropertyValues("ha.redis.database=2", "spring.data.redis.database=2",
				"ha.redis.username=app", "spring.data.redis.username=app", "ha.redis.password=pw",
				"spring.data.redis.password=pw", "spring.data.redis.lettuce.read-from=upstream")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(clientConfiguration(shared(context)).getReadFrom()).isEmpty();
			});
	}

	// Carried over, but a value ha-redis refuses as its own

	@Test
	void refusesACarriedOverTimeoutThatIsNotPositiveNamingTheBootProperty() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.timeout=-5s"), "spring.data.redis.timeout",
				"('-5s'), which ha-redis carries over as ha.redis.timeout, must be longer than 0", "ha.redis.timeout");
		assertRefused(this.runner.withPropertyValues("spring.data.redis.timeout=0"), "spring.data.redis.timeout",
				"must be longer than 0", "for example 5s");
	}

	@Test
	void refusesACarriedOverConnectTimeoutThatIsNotPositive() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.connect-timeout=-1s"),
				"spring.data.redis.connect-timeout", "('-1s'), which ha-redis carries over as ha.redis.connect-timeout",
				"ha.redis.connect-timeout");
	}

	@Test
	void refusesACarriedOverClientNameRedisWouldRejectOnEveryConnection() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.client-name=has space"),
				"spring.data.redis.client-name", "('has space'), which ha-redis carries over as ha.redis.client-name, "
						+ "is not a name Redis accepts in CLIENT SETNAME", "without spaces");
	}

	@Test
	void refusesInvalidCarriedOverValuesOnSpringBootsSentinelPathToo() {
		ApplicationContextRunner bootSentinel = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withPropertyValues("ha.redis.fail-fast=false", "spring.data.redis.sentinel.master=mymaster",
					"spring.data.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());
		assertRefused(bootSentinel.withPropertyValues("spring.data.redis.timeout=-5s"), "spring.data.redis.timeout",
				"must be longer than 0", "ha.redis.timeout");
		assertRefused(bootSentinel.withPropertyValues("spring.data.redis.client-name=a\tb"),
				"spring.data.redis.client-name", "CLIENT SETNAME", "ha.redis.client-name");
	}

	// Given both ways, differently

	@Test
	void refusesTwoDifferentTimeouts() {
		assertRefused(this.runner.withPropertyValues("ha.redis.timeout=3s", "spring.data.redis.timeout=4s"),
				"spring.data.redis.timeout", "differs from ha.redis.timeout", "ha.redis.timeout");
	}

	@Test
	void refusesTwoDifferentConnectTimeoutsEvenWhenHaRedisSaysItsDefault() {
		assertRefused(this.runner.withPropertyValues("ha.redis.connect-timeout=2s",
				"spring.data.redis.connect-timeout=3s"), "spring.data.redis.connect-timeout",
				"differs from ha.redis.connect-timeout", "ha.redis.connect-timeout");
	}

	@Test
	void refusesTwoDifferentClientNames() {
		assertRefused(this.runner.withPropertyValues("ha.redis.client-name=a", "spring.data.redis.client-name=b"),
				"spring.data.redis.client-name", "differs from ha.redis.client-name", "ha.redis.client-name");
	}

	@Test
	void refusesAnotherDatabase() {
		assertRefused(this.runner.withPropertyValues("ha.redis.database=2", "spring.data.redis.database=3"),
				"spring.data.redis.database", "differs from ha.redis.database (3 and 2)", "ha.redis.database");
	}

	@Test
	void refusesABootDatabaseWhenHaRedisUsesTheDefault() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.database=3"), "spring.data.redis.database",
				"differs from ha.redis.database (3 and 0)", "ha.redis.database");
	}

	@Test
	void refusesAnotherUsername() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.username=app"), "spring.data.redis.username",
				"differs from ha.redis.username", "ha.redis.username");
	}

	@Test
	void refusesAnotherPasswordWithoutShowingEither() {
		this.runner.withPropertyValues("ha.redis.password=hunter2", "spring.data.redis.password=swordfish")
			.run((context) -> {
				HaRedisConfigurationException failure = failure(context);
				assertThat(failure.getProperty()).isEqualTo("spring.data.redis.password");
				assertThat(failure.getProblem()).contains("differs from ha.redis.password");
				assertThat(failure.getMessage() + failure.getAction()).doesNotContain("hunter2", "swordfish");
			});
	}

	@Test
	void refusesBootTlsWhenHaRedisHasNone() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.ssl.enabled=true"),
				"spring.data.redis.ssl.enabled", "differs from ha.redis.ssl.enabled", "ha.redis.ssl.enabled");
	}

	@Test
	void refusesAnotherSslBundle() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.ssl.bundle=redis"),
				"spring.data.redis.ssl.bundle", "differs from ha.redis.ssl.bundle", "ha.redis.ssl.bundle");
	}

	// Not used by ha-redis

	@Test
	void refusesReadingFromReplicas() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.lettuce.read-from=replica-preferred"),
				"spring.data.redis.lettuce.read-from", "is not used by ha-redis",
				"remove spring.data.redis.lettuce.read-from");
	}

	@Test
	void refusesTheJedisClient() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.client-type=jedis"),
				"spring.data.redis.client-type", "is not used by ha-redis", "ha.redis.enabled=false");
	}

	@Test
	void refusesAServerUrl() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.url=redis://localhost:6379"),
				"spring.data.redis.url", "is not used by ha-redis", "Set ha.redis.url");
	}

	@Test
	void refusesAServerHost() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.host=redis.example.com"),
				"spring.data.redis.host", "is not used by ha-redis", "ha.redis.sentinel.nodes");
	}

	@Test
	void refusesAServerPort() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.port=6380"), "spring.data.redis.port",
				"is not used by ha-redis", "ha.redis.sentinel.nodes");
	}

	@Test
	void refusesAStaticMasterReplicaSet() {
		assertRefused(this.runner.withPropertyValues("spring.data.redis.masterreplica.nodes=r1:6379,r2:6379"),
				"spring.data.redis.masterreplica.nodes", "as well as the ha.redis Sentinel topology",
				"ha.redis.enabled=false");
	}

	@Test
	void refusesABootUsernameWithoutItsPassword() {
		ApplicationContextRunner bootSentinel = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withPropertyValues("ha.redis.fail-fast=false", "spring.data.redis.sentinel.master=mymaster",
					"spring.data.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());
		assertRefused(bootSentinel.withPropertyValues("spring.data.redis.username=app"), "spring.data.redis.username",
				"without a password", "spring.data.redis.password");
		assertRefused(bootSentinel.withPropertyValues("spring.data.redis.sentinel.username=watcher"),
				"spring.data.redis.sentinel.username", "without a password", "spring.data.redis.sentinel.password");
	}

	@Test
	void takesBootsConnectionSettingsWhenHaRedisConfiguresNoSentinel() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withPropertyValues("ha.redis.fail-fast=false", "spring.data.redis.sentinel.master=mymaster",
					"spring.data.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused(),
					"spring.data.redis.database=3", "spring.data.redis.username=app",
					"spring.data.redis.password=secret", "spring.data.redis.timeout=4s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(shared(context).getDatabase()).isEqualTo(3);
				assertThat(shared(context).getTimeout()).isEqualTo(4000);
			});
	}

	private static void assertRefused(ApplicationContextRunner runner, String property, String problem,
			String action) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			HaRedisConfigurationException failure = failure(context);
			assertThat(failure.getProperty()).isEqualTo(property);
			assertThat(failure.getProblem()).startsWith(property).contains(problem);
			assertThat(failure.getAction()).contains(action);
			assertThat(new HaRedisConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
				.contains(property);
		});
	}

	private static HaRedisConfigurationException failure(AssertableApplicationContext context) {
		return HaRedisConnectionAutoConfigurationTests.rootCause(context, HaRedisConfigurationException.class);
	}

	private static LettuceConnectionFactory shared(AssertableApplicationContext context) {
		return context.getBean("redisConnectionFactory", LettuceConnectionFactory.class);
	}

	private static LettuceConnectionFactory cache(AssertableApplicationContext context) {
		return context.getBean(HaRedisCacheAutoConfiguration.CONNECTION_FACTORY, LettuceConnectionFactory.class);
	}

	private static LettuceConnectionFactory messaging(AssertableApplicationContext context) {
		return context.getBean(HaRedisMessagingAutoConfiguration.CONNECTION_FACTORY, LettuceConnectionFactory.class);
	}

	private static LettuceClientConfiguration clientConfiguration(LettuceConnectionFactory factory) {
		return factory.getClientConfiguration();
	}

	private static GenericObjectPoolConfig<StatefulConnection<?, ?>> pool(LettuceConnectionFactory factory) {
		assertThat(factory.getClientConfiguration()).isInstanceOf(LettucePoolingClientConfiguration.class);
		return ((LettucePoolingClientConfiguration) factory.getClientConfiguration()).getPoolConfig();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Caching {

	}

}
