package dev.haredis.autoconfigure;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

import dev.haredis.autoconfigure.cache.HaRedisCacheAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.autoconfigure.queue.HaRedisQueueAutoConfiguration;
import dev.haredis.autoconfigure.session.HaRedisSessionAutoConfiguration;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every {@code ha.redis.*} value that cannot work stops the startup with Spring Boot's binding report, naming the
 * property and what to set instead, before anything connects.
 */
class PropertyValidationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisCacheAutoConfiguration.class, HaRedisSessionAutoConfiguration.class,
				HaRedisMessagingAutoConfiguration.class, HaRedisQueueAutoConfiguration.class,
				DataRedisAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());

	@Test
	void startsWithTheDefaults() {
		this.runner.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			ha.redis.timeout                      | -5s       | must be longer than 0, for example 5s
			ha.redis.connect-timeout              | 0         | must be longer than 0, for example 2s
			ha.redis.database                     | -1        | is not a database index
			ha.redis.client-name                  | my app    | is not a name Redis accepts in CLIENT SETNAME
			ha.redis.username                     | alice     | is set without a password, so it would not be used
			ha.redis.sentinel.username            | watcher   | set ha.redis.sentinel.password too
			ha.redis.sentinel.timeout             | 0ms       | must be longer than 0
			ha.redis.sentinel.max-learned         | -1        | must be 0 or more
			ha.redis.topology.refresh-interval    | 0         | must be longer than 0, for example 1s
			ha.redis.topology.event-history       | -1        | must be 0 or more
			ha.redis.topology.promotion-hold      | -1s       | must not be negative (0 writes to the old master until the switch)
			ha.redis.socket.keep-alive-idle       | 500ms     | must be at least 1s: the kernel counts it in whole seconds
			ha.redis.socket.keep-alive-interval   | 0         | must be at least 1s
			ha.redis.socket.keep-alive-count      | 0         | must be 1 or more
			ha.redis.socket.tcp-user-timeout      | -1s       | must not be negative
			ha.redis.durability.timeout           | 500us     | must be at least 1ms: WAIT counts whole milliseconds
			ha.redis.durability.min-replicas      | -1        | must be 0 or more
			ha.redis.durability.pool-size         | -1        | must be 1 or more
			ha.redis.cache.database               | -2        | is not a database index
			ha.redis.cache.timeout                | -1s       | must be longer than 0
			ha.redis.cache.client-name            | 'a\tb'    | is not a name Redis accepts in CLIENT SETNAME
			ha.redis.cache.username               | cache     | set ha.redis.cache.password too
			ha.redis.cache.time-to-live           | -10m      | must not be negative (0 means no expiry)
			ha.redis.cache.trusted-packages[0]    | 'com.example orders' | is not a package name
			ha.redis.cache.trusted-packages[0]    | com..example | is not a package name
			ha.redis.session.trusted-packages[0]  | 'com/example' | is not a package name
			ha.redis.session.username             | sessions  | set ha.redis.session.password too
			ha.redis.session.client-name          | 'a b'     | is not a name Redis accepts
			ha.redis.messaging.resubscribe-timeout | 0        | must be longer than 0, for example 30s
			ha.redis.messaging.username           | chat      | set ha.redis.messaging.password too
			ha.redis.queue.username               | worker    | set ha.redis.queue.password too
			ha.redis.queue.default-queue          | 'my queue' | must be a name without spaces
			ha.redis.queue.group                  | ' '       | must be a name without spaces
			ha.redis.queue.dead-letter            | '{queue}' | would send failed tasks back to their own queue for ever
			ha.redis.queue.visibility-timeout     | 0         | must be longer than 0
			ha.redis.queue.max-attempts           | 0         | must be 1 or more
			ha.redis.queue.concurrency            | 0         | must be 1 or more
			ha.redis.queue.batch-size             | -3        | must be 1 or more
			ha.redis.queue.block-timeout          | 0         | must be at least 1ms
			ha.redis.queue.block-timeout          | 10m       | must be shorter than ha.redis.queue.visibility-timeout
			ha.redis.queue.dead-letter            | failed-tasks | does not contain '{queue}'
			ha.redis.queue.max-length             | 0         | must be 1 or more
			ha.redis.queue.dead-letter-max-length | 0         | must be 1 or more
			ha.redis.queue.declared-queues[0]     | 'my queue' | must be a name without spaces
			ha.redis.queue.result-ttl             | -1d       | must not be negative
			ha.redis.queue.shutdown-timeout       | -1s       | must not be negative
			ha.redis.queue.back-off.initial       | 0         | must be longer than 0
			ha.redis.queue.back-off.multiplier    | NaN       | must be a number of 1 or more
			ha.redis.queue.back-off.multiplier    | 0.5       | must be a number of 1 or more
			ha.redis.queue.back-off.max           | 100ms     | must not be shorter than ha.redis.queue.back-off.initial
			""")
	void refusesAValueThatCannotWork(String property, String value, String reason) {
		this.runner.withPropertyValues(property + "=" + value)
			.run((context) -> assertThat(rejections(context)).anySatisfy((error) -> {
				assertThat(error.getObjectName() + "." + error.getField()).isEqualTo(property);
				assertThat(error.getDefaultMessage()).contains(reason);
			}));
	}

	@Test
	void namesTheMalformedAddressMapEntry() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("map", Map.of("ha.redis.sentinel.address-map[10.0.0.5]", "h:1"))))
			.run((context) -> assertThat(rejections(context)).singleElement().satisfies((error) -> {
				assertThat(error.getField()).isEqualTo("sentinel.address-map[10.0.0.5]");
				assertThat(error.getDefaultMessage()).contains("'10.0.0.5' is a host, which maps every port")
					.contains("Map an announced address to a reachable one");
			}));
	}

	@Test
	void refusesPlainSentinelsWithASentinelBundle() {
		this.runner.withPropertyValues("ha.redis.sentinel.ssl.enabled=false", "ha.redis.sentinel.ssl.bundle=sentinels")
			.run((context) -> assertThat(rejections(context)).singleElement().satisfies((error) -> {
				assertThat(error.getField()).isEqualTo("sentinel.ssl.enabled");
				assertThat(error.getDefaultMessage()).contains("is false while ha.redis.sentinel.ssl.bundle is set");
			}));
	}

	@Test
	void namesTheRefusedEntryOfAPackageList() {
		this.runner.withPropertyValues("ha.redis.cache.trusted-packages=com.example.orders,com..bad")
			.run((context) -> assertThat(rejections(context)).singleElement().satisfies((error) -> {
				assertThat(error.getField()).isEqualTo("trusted-packages[1]");
				assertThat(error.getDefaultMessage()).startsWith("'com..bad' is not a package name");
			}));
	}

	@Test
	void reportsARefusedVisibilityTimeoutOnceNotAgainAsTheBlockTimeoutsFault() {
		this.runner.withPropertyValues("ha.redis.queue.visibility-timeout=0")
			.run((context) -> assertThat(rejections(context)).singleElement()
				.satisfies((error) -> assertThat(error.getField()).isEqualTo("visibility-timeout")));
	}

	@Test
	void givesTheBlockTimeoutInItsReasonWhenItIsTheDefault() {
		this.runner.withPropertyValues("ha.redis.queue.visibility-timeout=500ms")
			.run((context) -> assertThat(rejections(context)).singleElement().satisfies((error) -> {
				assertThat(error.getField()).isEqualTo("block-timeout");
				assertThat(error.getDefaultMessage())
					.contains("must be shorter than ha.redis.queue.visibility-timeout (PT0.5S), but is PT1S");
			}));
	}

	@Test
	void acceptsPackageNamesAndTheWildcard() {
		this.runner.withPropertyValues("ha.redis.cache.trusted-packages=com.example.orders,com.example.$gen.,*",
				"ha.redis.session.trusted-packages=com.example").run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void acceptsAPasswordWithoutAUsername() {
		this.runner.withPropertyValues("ha.redis.password=secret", "ha.redis.sentinel.password=secret",
				"ha.redis.cache.password=secret").run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void reportsAMalformedUrlWithoutItsPassword(CapturedOutput output) {
		SpringApplication application = new SpringApplication(StartupReportApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--spring.main.banner-mode=off",
				"--ha.redis.url=redis-sentinel://app:hun/t@er#2@127.0.0.1:" + LocalPorts.unused() + "/x#mymaster"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("ha.redis.url")
			.contains("redis-sentinel://****@127.0.0.1:")
			.doesNotContain("hun/t")
			.doesNotContain("er#2")
			.doesNotContain("app:");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void reportsTheBadValueAndTheFixWithoutAStackTrace(CapturedOutput output) {
		SpringApplication application = new SpringApplication(StartupReportApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--ha.redis.sentinel.master=mymaster",
				"--ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused(), "--ha.redis.fail-fast=false",
				"--ha.redis.timeout=-5s", "--spring.main.banner-mode=off"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: ha.redis.timeout")
			.contains("Value: \"PT-5S\"")
			.contains("Reason: must be longer than 0, for example 5s")
			.doesNotContain("\tat ");
	}

	private static List<FieldError> rejections(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			if (cause instanceof BindValidationException validation) {
				List<ObjectError> errors = validation.getValidationErrors().getAllErrors();
				assertThat(errors).allMatch(FieldError.class::isInstance);
				return errors.stream().map(FieldError.class::cast).toList();
			}
		}
		throw new AssertionError("No BindValidationException in " + context.getStartupFailure());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class })
	static class StartupReportApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
