package dev.haredis.autoconfigure.purpose;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import dev.haredis.autoconfigure.cache.HaRedisCacheAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.autoconfigure.queue.HaRedisQueueAutoConfiguration;
import dev.haredis.autoconfigure.session.HaRedisSessionAutoConfiguration;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class HaRedisPurposeAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisPurposeAutoConfiguration.class, HaRedisCacheAutoConfiguration.class,
				HaRedisSessionAutoConfiguration.class, HaRedisMessagingAutoConfiguration.class,
				HaRedisQueueAutoConfiguration.class, DataRedisAutoConfiguration.class, CacheAutoConfiguration.class,
				SessionAutoConfiguration.class, SessionDataRedisAutoConfiguration.class))
		.withUserConfiguration(Caching.class)
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());

	@Test
	void registersEveryPurposeWithTheFactoryOfItsName() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ConnectionPurposes.class).hasSingleBean(ConnectionPurposeCheck.class);
			assertThat(purposes(context)).extracting(ConnectionPurpose::name)
				.containsExactlyInAnyOrder("cache", "session", "messaging", "queue");
			assertThat(purpose(context, "cache").factory())
				.isSameAs(context.getBean(HaRedisCacheAutoConfiguration.CONNECTION_FACTORY));
			assertThat(purpose(context, "session").factory())
				.isSameAs(context.getBean(HaRedisSessionAutoConfiguration.CONNECTION_FACTORY));
			assertThat(purpose(context, "messaging").factory())
				.isSameAs(context.getBean(HaRedisMessagingAutoConfiguration.CONNECTION_FACTORY));
			assertThat(purpose(context, "queue").factory())
				.isSameAs(context.getBean(HaRedisQueueAutoConfiguration.CONNECTION_FACTORY));
		});
	}

	@Test
	void registersWhereEachPurposeKeepsItsKeys() {
		this.runner.withPropertyValues("ha.redis.cache.key-prefix=shop:", "ha.redis.session.key-prefix=web:")
			.run((context) -> {
				assertThat(purpose(context, "cache").keyPrefix()).isEqualTo("shop:");
				assertThat(purpose(context, "session").keyPrefix()).isEqualTo("web:spring:session");
				assertThat(purpose(context, "queue").keyPrefix()).isEqualTo("queue:");
				assertThat(purpose(context, "messaging").storesKeys()).isFalse();
				assertThat(purpose(context, "cache").storesKeys()).isTrue();
			});
	}

	@Test
	void registersEachPurposesSettingsAndWhetherTheServerSeesThemAsItsOwn() {
		this.runner
			.withPropertyValues("ha.redis.database=1", "ha.redis.password=top", "ha.redis.cache.timeout=250ms",
					"ha.redis.cache.client-name=shop-cache", "ha.redis.session.database=3",
					"ha.redis.queue.password=queue-secret")
			.run((context) -> {
				ConnectionPurpose cache = purpose(context, "cache");
				assertThat(cache.ownConnectionSettings()).as("timeout and client name alone").isFalse();
				assertThat(cache.database()).isEqualTo(1);
				assertThat(cache.settings().clientName()).isEqualTo("shop-cache");
				assertThat(cache.settings().password()).isEqualTo("top");
				ConnectionPurpose session = purpose(context, "session");
				assertThat(session.ownConnectionSettings()).isTrue();
				assertThat(session.database()).isEqualTo(3);
				assertThat(session.factory().getDatabase()).isEqualTo(3);
				ConnectionPurpose queue = purpose(context, "queue");
				assertThat(queue.ownConnectionSettings()).isTrue();
				assertThat(queue.settings().password()).isEqualTo("queue-secret");
				assertThat(purpose(context, "messaging").ownConnectionSettings()).isFalse();
			});
	}

	@Test
	void leavesOutAPurposeThatIsSwitchedOff() {
		this.runner.withPropertyValues("ha.redis.cache.enabled=false", "ha.redis.queue.enabled=false")
			.run((context) -> assertThat(purposes(context)).extracting(ConnectionPurpose::name)
				.containsExactlyInAnyOrder("session", "messaging"));
	}

	@Test
	void leavesOutAPurposeWhoseFactoryTheApplicationSupplies() {
		MasterLettuceConnectionFactory own = mock(MasterLettuceConnectionFactory.class);
		this.runner
			.withBean(HaRedisQueueAutoConfiguration.CONNECTION_FACTORY, MasterLettuceConnectionFactory.class,
					() -> own, (definition) -> ((AbstractBeanDefinition) definition).setDefaultCandidate(false))
			.run((context) -> {
				assertThat(context.getBean(HaRedisQueueAutoConfiguration.CONNECTION_FACTORY)).isSameAs(own);
				assertThat(purposes(context)).extracting(ConnectionPurpose::name)
					.containsExactlyInAnyOrder("cache", "session", "messaging");
			});
	}

	@Test
	void backsOffWithoutTheSentinelConnection() {
		this.runner.withPropertyValues("ha.redis.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ConnectionPurposes.class)
				.doesNotHaveBean(ConnectionPurposeCheck.class)
				.doesNotHaveBean(ConnectionPurpose.class));
	}

	private static List<ConnectionPurpose> purposes(AssertableWebApplicationContext context) {
		return context.getBean(ConnectionPurposes.class).all();
	}

	private static ConnectionPurpose purpose(AssertableWebApplicationContext context, String name) {
		return purposes(context).stream()
			.filter((purpose) -> purpose.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no purpose " + name));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Caching {

	}

}
