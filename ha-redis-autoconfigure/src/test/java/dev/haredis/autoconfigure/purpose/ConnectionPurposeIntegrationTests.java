package dev.haredis.autoconfigure.purpose;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

import dev.haredis.autoconfigure.cache.HaRedisCacheAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.autoconfigure.session.HaRedisSessionAutoConfiguration;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The startup checks of the purposes' connection settings, against a real master.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionPurposeIntegrationTests {

	private static final String DATA_PASSWORD = "data-secret";

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().password(DATA_PASSWORD));

	private WebApplicationContextRunner app() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
					HaRedisPurposeAutoConfiguration.class, HaRedisCacheAutoConfiguration.class, HaRedisSessionAutoConfiguration.class,
					HaRedisMessagingAutoConfiguration.class, DataRedisAutoConfiguration.class,
					CacheAutoConfiguration.class, SessionAutoConfiguration.class,
					SessionDataRedisAutoConfiguration.class))
			.withUserConfiguration(Caching.class)
			.withPropertyValues("ha.redis.sentinel.master=" + redis.topology().masterName(),
					"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(), "ha.redis.password=" + DATA_PASSWORD);
	}

	@Test
	void aDatabaseTheServersDoNotHaveFailsTheStartupNamingThePurpose() {
		app().withPropertyValues("ha.redis.cache.database=99")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(HaRedisConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("ha.redis.cache.database");
					assertThat(ex.getProblem()).contains("rejected database 99");
				}));
	}

	@Test
	void credentialsTheServersRefuseFailTheStartupNamingThePurposeWithoutThePassword() {
		app().withPropertyValues("ha.redis.messaging.password=not-the-password")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(HaRedisConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).contains("ha.redis.messaging.password");
					assertThat(ex.getMessage() + ex.getProblem() + ex.getAction()).doesNotContain("not-the-password");
				}));
	}

	@Test
	void purposesThatMayWriteTheSameKeysAreReported(CapturedOutput output) {
		app().withPropertyValues("ha.redis.cache.key-prefix=spring:session").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("ha.redis.cache and ha.redis.session both write to database 0 with the key "
					+ "prefix 'spring:session': their keys may collide");
		});
	}

	@Test
	void separateDatabasesStartQuietly(CapturedOutput output) {
		app().withPropertyValues("ha.redis.cache.database=1", "ha.redis.session.database=2").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("may collide");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Caching {

	}

}
