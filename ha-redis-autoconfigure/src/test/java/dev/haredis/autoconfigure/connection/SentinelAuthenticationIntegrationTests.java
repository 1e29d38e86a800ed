package dev.haredis.autoconfigure.connection;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.health.HaRedisHealthContributorAutoConfiguration;
import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.MasterDiscoveryException;

import static dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfigurationTests.rootCause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sentinels and data nodes with their own passwords: a wrong one of each is told apart, and no password ever
 * shows in the report.
 */
class SentinelAuthenticationIntegrationTests {

	private static final String DATA_PASSWORD = "data-Secret-1";

	private static final String SENTINEL_PASSWORD = "sentinel-Secret-2";

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().replicas(0).sentinels(1, 1).password(DATA_PASSWORD)
				.sentinelPassword(SENTINEL_PASSWORD));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class));

	private ApplicationContextRunner withPasswords(String sentinelPassword, String dataPassword) {
		return this.runner.withPropertyValues("ha.redis.sentinel.master=" + redis.topology().masterName(),
				"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(),
				"ha.redis.sentinel.password=" + sentinelPassword, "ha.redis.password=" + dataPassword);
	}

	@Test
	void connectsWithBothCorrectPasswords() {
		withPasswords(SENTINEL_PASSWORD, DATA_PASSWORD).run((context) -> {
			context.getBean(StringRedisTemplate.class).opsForValue().set("auth-check", "ok");
			assertThat(redis.topology().master().command("GET", "auth-check")).isEqualTo("ok");
		});
	}

	@Test
	void healthDetailsNeverShowThePasswords() {
		withPasswords(SENTINEL_PASSWORD, DATA_PASSWORD)
			.withConfiguration(AutoConfigurations.of(HaRedisHealthContributorAutoConfiguration.class))
			.run((context) -> {
				SentinelTopologyHealthIndicator indicator = context.getBean(SentinelTopologyHealthIndicator.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(indicator.health().getDetails()).containsKey("recentEvents")
						.containsEntry("roleVerified", true));
				assertThat(indicator.health().toString()).doesNotContain(DATA_PASSWORD)
					.doesNotContain(SENTINEL_PASSWORD);
			});
	}

	@Test
	void blamesTheSentinelPasswordWhenTheSentinelRejectsIt() {
		withPasswords("wrong-sentinel-pw", DATA_PASSWORD).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(rootCause(context, MasterDiscoveryException.class).getAttempts())
				.allSatisfy((attempt) -> assertThat(attempt.problem()).isEqualTo(Problem.SENTINEL_AUTHENTICATION));
			assertThat(analysis.getAction()).contains("ha.redis.sentinel.password")
				.contains("sentinels' own credentials");
			assertNoPasswordIn(analysis, "wrong-sentinel-pw");
		});
	}

	@Test
	void blamesTheSentinelPasswordWhenItIsMissing() {
		this.runner
			.withPropertyValues("ha.redis.sentinel.master=" + redis.topology().masterName(),
					"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(), "ha.redis.password=" + DATA_PASSWORD)
			.run((context) -> assertThat(rootCause(context, MasterDiscoveryException.class).getAttempts())
				.allSatisfy((attempt) -> {
					assertThat(attempt.problem()).isEqualTo(Problem.SENTINEL_AUTHENTICATION);
					assertThat(attempt.detail()).contains("NOAUTH");
				}));
	}

	@Test
	void blamesTheDataPasswordWhenTheMasterRejectsIt() {
		withPasswords(SENTINEL_PASSWORD, "wrong-data-pw").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(rootCause(context, MasterDiscoveryException.class).getAttempts()).singleElement()
				.satisfies((attempt) -> assertThat(attempt.problem()).isEqualTo(Problem.DATA_AUTHENTICATION));
			assertThat(analysis.getAction()).contains("ha.redis.password").contains("data nodes' credentials");
			assertNoPasswordIn(analysis, "wrong-data-pw");
		});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		FailureAnalysis analysis = new MasterDiscoveryFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

	private static void assertNoPasswordIn(FailureAnalysis analysis, String wrongPassword) {
		for (String password : new String[] { wrongPassword, DATA_PASSWORD, SENTINEL_PASSWORD }) {
			assertThat(analysis.getDescription()).doesNotContain(password);
			assertThat(analysis.getAction()).doesNotContain(password);
			assertThat(analysis.getCause().getMessage()).doesNotContain(password);
		}
	}

}
