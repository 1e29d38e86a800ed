package dev.haredis.autoconfigure.endpoint;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code env} and {@code configprops} endpoints, with {@code show-values: always}, never show a Redis
 * credential once ha-redis is on the class path.
 */
class HaRedisEndpointAutoConfigurationTests {

	private static final String PORT = Integer.toString(LocalPorts.unused());

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
				EnvironmentEndpointAutoConfiguration.class,
				ConfigurationPropertiesReportEndpointAutoConfiguration.class, HaRedisConnectionAutoConfiguration.class,
				DataRedisAutoConfiguration.class, HaRedisEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoint.env.show-values=always",
				"management.endpoint.configprops.show-values=always",
				"management.endpoints.web.exposure.include=env,configprops", "ha.redis.fail-fast=false",
				"ha.redis.url=redis-sentinel://app:hun/t@er;2@127.0.0.1:" + PORT + "/3#mymaster",
				"ha.redis.sentinel.username=watcher", "ha.redis.sentinel.password=s3nt:inel#",
				"ha.redis.cache.password=cache-secret", "spring.data.redis.password=hun/t@er;2")
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("environment-like",
					Map.of("HA_REDIS_MESSAGING_PASSWORD", "env-secret", "HA_REDIS_URL_UNRELATED", "visible",
							"SPRING_APPLICATION_JSON", "{\"ha\":{\"redis\":{\"password\":\"json-secret\"}}}",
							"sun.java.command", "com.example.App --ha.redis.password=command-line-secret"))));

	@Test
	void environmentEndpointShowsNoCredential() {
		this.runner.run((context) -> {
			String json = JsonMapper.shared()
				.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null));
			assertNoSecrets(json);
			assertThat(json).contains("redis-sentinel://****@127.0.0.1:" + PORT + "/3#mymaster")
				.contains("\"visible\"")
				.contains("******");
		});
	}

	@Test
	void configurationPropertiesEndpointShowsNoCredential() {
		this.runner.run((context) -> {
			String json = JsonMapper.shared()
				.writeValueAsString(
						context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
			assertThat(json).contains("ha.redis").contains("mymaster");
			assertNoSecrets(json);
		});
	}

	@Test
	void backsOffWithoutActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
			.withConfiguration(AutoConfigurations.of(HaRedisEndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("haRedisCredentialsSanitizingFunction"));
	}

	private static void assertNoSecrets(String json) {
		assertThat(json).doesNotContain("hun/t")
			.doesNotContain("er;2")
			.doesNotContain("s3nt")
			.doesNotContain("watcher")
			.doesNotContain("cache-secret")
			.doesNotContain("env-secret")
			.doesNotContain("json-secret")
			.doesNotContain("command-line-secret");
	}

}
