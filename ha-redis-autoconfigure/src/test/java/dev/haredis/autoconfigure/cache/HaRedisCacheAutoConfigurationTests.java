package dev.haredis.autoconfigure.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.test.util.ReflectionTestUtils;

import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.cache.CacheOutage;
import dev.haredis.cache.FailOpenRedisCacheWriter;
import dev.haredis.cache.UnreadableAsMissSerializer;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.gadget.Gadget;
import dev.haredis.internal.TrustedJdkSerializer;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class HaRedisCacheAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisCacheAutoConfiguration.class, DataRedisAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());

	@Test
	void cacheManagerUsesItsOwnConnectionFactoryFallingBackToTopLevelSettings() {
		this.runner.withPropertyValues("ha.redis.database=2", "ha.redis.client-name=shop", "ha.redis.timeout=3s")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisCacheManager.class).hasBean("haRedisCacheConnectionFactory");
				MasterLettuceConnectionFactory factory = context.getBean("haRedisCacheConnectionFactory",
						MasterLettuceConnectionFactory.class);
				assertThat(factory.getDatabase()).isEqualTo(2);
				assertThat(factory.getClientName()).isEqualTo("shop");
				assertThat(factory.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(cacheWriter(context.getBean(RedisCacheManager.class)))
					.isInstanceOf(FailOpenRedisCacheWriter.class);
			});
	}

	@Test
	void purposeSettingsOverrideTopLevelOnes() {
		this.runner
			.withPropertyValues("ha.redis.database=2", "ha.redis.cache.database=5", "ha.redis.cache.timeout=250ms",
					"ha.redis.cache.client-name=shop-cache")
			.run((context) -> {
				MasterLettuceConnectionFactory factory = context.getBean("haRedisCacheConnectionFactory",
						MasterLettuceConnectionFactory.class);
				assertThat(factory.getDatabase()).isEqualTo(5);
				assertThat(factory.getClientName()).isEqualTo("shop-cache");
				assertThat(factory.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofMillis(250));
			});
	}

	@Test
	void theApplicationsConnectionFactoryStaysTheOnlyCandidateByType() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(StringRedisTemplate.class);
			assertThat(context.getBean(RedisConnectionFactory.class)).isSameAs(context.getBean("redisConnectionFactory"));
		});
	}

	@Test
	void appliesTimeToLiveKeyPrefixAndNullPolicy() {
		this.runner
			.withPropertyValues("ha.redis.cache.time-to-live=10m", "ha.redis.cache.key-prefix=shop:",
					"ha.redis.cache.cache-null-values=false", "ha.redis.cache.ttl.prices=30s")
			.run((context) -> {
				RedisCacheManager manager = context.getBean(RedisCacheManager.class);
				RedisCacheConfiguration defaults = manager.getCacheConfigurations().get("prices");
				assertThat(defaults.getTtlFunction().getTimeToLive("k", "v")).isEqualTo(Duration.ofSeconds(30));
				assertThat(defaults.getKeyPrefixFor("prices")).isEqualTo("shop:prices::");
				assertThat(defaults.getAllowCacheNullValues()).isFalse();
				RedisCacheConfiguration other = manager.getCacheConfigurations().getOrDefault("other",
						configurationOf(manager, "other"));
				assertThat(other.getTtlFunction().getTimeToLive("k", "v")).isEqualTo(Duration.ofMinutes(10));
			});
	}

	@Test
	void fallsBackToSpringBootCacheProperties() {
		this.runner
			.withPropertyValues("spring.cache.redis.time-to-live=5m", "spring.cache.redis.key-prefix=boot:",
					"spring.cache.cache-names=a,b")
			.run((context) -> {
				RedisCacheManager manager = context.getBean(RedisCacheManager.class);
				assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("a", "b");
				RedisCacheConfiguration a = manager.getCacheConfigurations().get("a");
				assertThat(a.getTtlFunction().getTimeToLive("k", "v")).isEqualTo(Duration.ofMinutes(5));
				assertThat(a.getKeyPrefixFor("a")).isEqualTo("boot:a::");
			});
	}

	@Test
	void writesJsonRestrictedToTheApplicationsPackageByDefault() {
		this.runner.withUserConfiguration(ApplicationPackage.class).run((context) -> {
			RedisSerializer<Object> values = valueSerializer(context.getBean(RedisCacheManager.class));
			assertThat(values).isInstanceOf(GenericJacksonJsonRedisSerializer.class);
			assertThat(values.deserialize(values.serialize(new Price("tea")))).isEqualTo(new Price("tea"));
			Gadget.instantiated.set(0);
			assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> values
				.deserialize("{\"@class\":\"dev.haredis.gadget.Gadget\"}".getBytes(StandardCharsets.UTF_8)));
			assertThat(Gadget.instantiated).hasValue(0);
		});
	}

	@Test
	void writesJavaSerializationThroughAnAllowListOnRequest() {
		this.runner.withPropertyValues("ha.redis.cache.value-format=jdk")
			.run((context) -> assertThat(valueSerializer(context.getBean(RedisCacheManager.class)))
				.isInstanceOf(TrustedJdkSerializer.class));
	}

	@Test
	void javaSerializationNeedsNoJackson() {
		this.runner.withPropertyValues("ha.redis.cache.value-format=jdk")
			.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.run((context) -> assertThat(valueSerializer(context.getBean(RedisCacheManager.class)))
				.isInstanceOf(TrustedJdkSerializer.class));
	}

	@Test
	void theDefaultJsonWithoutJacksonFailsNamingThePropertyAndTheAlternative() {
		this.runner.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(HaRedisConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("ha.redis.cache.value-format");
					assertThat(ex.getAction()).contains("spring-boot-starter-jackson")
						.contains("ha.redis.cache.value-format=jdk");
				}));
	}

	@Test
	void warnsOnceAboutTrustedPackagesBroaderThanTheApplicationsOwn(CapturedOutput output) {
		this.runner.withUserConfiguration(ApplicationPackage.class)
			.withPropertyValues("ha.redis.cache.trusted-packages=dev.haredis.autoconfigure.cache,com,org.apache")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(RedisCacheManager.class).getCache("a");
				context.getBean(RedisCacheManager.class).getCache("b");
				String warning = "ha.redis.cache.trusted-packages trusts com, org.apache, broader than the "
						+ "application's own package (dev.haredis.autoconfigure.cache)";
				assertThat(output).containsOnlyOnce(warning);
			});
	}

	@Test
	void warnsWhenNoPackageIsTrusted(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).containsOnlyOnce("ha.redis.cache.trusted-packages is not set and the application's "
					+ "package is not known");
		});
	}

	@Test
	void theApplicationsOwnPackagesStartQuietly(CapturedOutput output) {
		this.runner.withUserConfiguration(ApplicationPackage.class)
			.withPropertyValues("ha.redis.cache.trusted-packages=dev.haredis.autoconfigure.cache.model")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain("trusted-packages trusts").doesNotContain("is not set");
			});
	}

	@Test
	void failClosedUsesRedisErrorsAsTheyAre() {
		this.runner.withPropertyValues("ha.redis.cache.fail-open=false")
			.run((context) -> assertThat(cacheWriter(context.getBean(RedisCacheManager.class)))
				.isNotInstanceOf(FailOpenRedisCacheWriter.class));
	}

	@Test
	void honoursSpringBootCustomizers() {
		this.runner.withBean(RedisCacheManagerBuilderCustomizer.class,
				() -> (builder) -> builder.withCacheConfiguration("custom",
						RedisCacheConfiguration.defaultCacheConfig().entryTtl(Duration.ofSeconds(7))))
			.run((context) -> assertThat(context.getBean(RedisCacheManager.class).getCacheNames()).contains("custom"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("ha.redis.cache.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean("haRedisCacheConnectionFactory").doesNotHaveBean(CacheOutage.class);
			// Spring Boot's own Redis cache takes over, on the application's connection factory.
			assertThat(context).hasSingleBean(RedisCacheManager.class);
			assertThat(cacheWriter(context.getBean(RedisCacheManager.class)))
				.isNotInstanceOf(FailOpenRedisCacheWriter.class);
		});
	}

	@Test
	void backsOffForAnotherCacheType() {
		this.runner.withPropertyValues("spring.cache.type=simple")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisCacheManager.class)
				.doesNotHaveBean("haRedisCacheConnectionFactory"));
	}

	@Test
	void backsOffWithoutCaching() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
					HaRedisCacheAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
					"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused())
			.run((context) -> assertThat(context).doesNotHaveBean(CacheManager.class)
				.doesNotHaveBean("haRedisCacheConnectionFactory"));
	}

	@Test
	void backsOffWithoutSpringBootsCacheModule() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
					HaRedisCacheAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
					"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused())
			.withBean(CacheManager.class, ConcurrentMapCacheManager::new)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.cache"))
			.run((context) -> assertThat(context).doesNotHaveBean("haRedisCacheConnectionFactory"));
	}

	@Test
	void theApplicationsCacheManagerWins() {
		this.runner.withBean(CacheManager.class, ConcurrentMapCacheManager::new)
			.run((context) -> assertThat(context).doesNotHaveBean(RedisCacheManager.class)
				.hasBean("haRedisCacheConnectionFactory"));
	}

	@Test
	void theApplicationsCacheConnectionFactoryWins() {
		this.runner.withUserConfiguration(OwnCacheConnectionFactory.class)
			.run((context) -> assertThat(context.getBean("haRedisCacheConnectionFactory"))
				.isSameAs(context.getBean(OwnCacheConnectionFactory.class).factory));
	}

	private static RedisCacheWriter cacheWriter(RedisCacheManager manager) {
		return (RedisCacheWriter) ReflectionTestUtils.getField(manager, "cacheWriter");
	}

	private static RedisSerializer<Object> valueSerializer(RedisCacheManager manager) {
		Object reader = configurationOf(manager, "x").getValueSerializationPair().getReader();
		UnreadableAsMissSerializer serializer = (UnreadableAsMissSerializer) ReflectionTestUtils.getField(reader,
				"serializer");
		return serializer.getDelegate();
	}

	private static RedisCacheConfiguration configurationOf(RedisCacheManager manager, String name) {
		return ((org.springframework.data.redis.cache.RedisCache) manager.getCache(name)).getCacheConfiguration();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	static class ApplicationPackage {

	}

	record Price(String item) {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCacheConnectionFactory {

		final MasterLettuceConnectionFactory factory = org.mockito.Mockito.mock(MasterLettuceConnectionFactory.class);

		@Bean(defaultCandidate = false)
		MasterLettuceConnectionFactory haRedisCacheConnectionFactory() {
			return this.factory;
		}

	}

}
