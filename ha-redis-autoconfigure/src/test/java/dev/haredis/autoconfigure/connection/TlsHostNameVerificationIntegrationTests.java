package dev.haredis.autoconfigure.connection;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.TestCertificate;
import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.MasterDiscoveryException;
import dev.haredis.topology.SentinelTopology;

import static dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfigurationTests.rootCause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A server whose certificate is trusted (the right CA) but issued for another host ({@code not-this-host.example})
 * than the one the application connects to ({@code 127.0.0.1}): start-up is refused, on either side, with a report
 * that says which side, which host, and what to fix. Each test runs its own small topology.
 */
class TlsHostNameVerificationIntegrationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HaRedisConnectionAutoConfiguration.class,
				DataRedisAutoConfiguration.class))
		// The first TLS connection of a JVM takes seconds to set up on a loaded machine: not what is tested here.
		.withPropertyValues("ha.redis.sentinel.timeout=5s");

	private ApplicationContextRunner trustingTheTestCa(LocalSentinelTopology topology, String bundleProperty) {
		return this.runner.withPropertyValues("ha.redis.sentinel.master=" + topology.masterName(),
				"ha.redis.sentinel.nodes=" + topology.sentinelNodes(), bundleProperty + "=test-ca",
				"spring.ssl.bundle.pem.test-ca.truststore.certificate=file:" + topology.tlsCaCertificate());
	}

	@Test
	void refusesADataNodeWhoseCertificateNamesAnotherHost() {
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder()
			.dataNodeTls(TestCertificate.OTHER_HOST)
			.sentinels(1, 1)
			.start()) {
			int master = topology.master().port();
			trustingTheTestCa(topology, "ha.redis.ssl.bundle").withPropertyValues("ha.redis.sentinel.ssl.enabled=false")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(rootCause(context, MasterDiscoveryException.class).getAttempts()).singleElement()
						.satisfies((attempt) -> {
							assertThat(attempt.problem()).as(attempt.detail()).isEqualTo(Problem.TLS_HOST_MISMATCH);
							assertThat(attempt.sentinelSide()).isFalse();
						});
					FailureAnalysis analysis = new MasterDiscoveryFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains("named 127.0.0.1:" + master
							+ ", whose TLS certificate does not name the host '127.0.0.1'");
					assertThat(analysis.getAction())
						.contains("The TLS certificate of the master the sentinels name does not name the host")
						.contains("subject alternative names")
						.contains("ha.redis.sentinel.address-map")
						.doesNotContain("certificates of the sentinels");
				});
			// Started anyway, the application sends nothing to that server and says why.
			trustingTheTestCa(topology, "ha.redis.ssl.bundle")
				.withPropertyValues("ha.redis.sentinel.ssl.enabled=false", "ha.redis.fail-fast=false")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					SentinelTopology sentinelTopology = context.getBean(SentinelTopology.class);
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(sentinelTopology.getSnapshot().problems())
							.anySatisfy((problem) -> assertThat(problem).contains("master 127.0.0.1:" + master)
								.contains("its TLS certificate does not name the host '127.0.0.1'")));
					StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
					assertThatException().isThrownBy(() -> template.opsForValue().set("wrong-host", "secret"));
					assertThat(topology.master().command("EXISTS", "wrong-host")).isEqualTo(0L);
				});
		}
	}

	@Test
	void refusesASentinelWhoseCertificateNamesAnotherHost() {
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder()
			.sentinelTls(TestCertificate.OTHER_HOST)
			.sentinels(1, 1)
			.start()) {
			String sentinel = topology.sentinelAddresses().get(0);
			trustingTheTestCa(topology, "ha.redis.sentinel.ssl.bundle").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context, MasterDiscoveryException.class).getAttempts()).singleElement()
					.satisfies((attempt) -> {
						assertThat(attempt.problem()).as(attempt.detail()).isEqualTo(Problem.TLS_HOST_MISMATCH);
						assertThat(attempt.sentinelSide()).isTrue();
					});
				FailureAnalysis analysis = new MasterDiscoveryFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.contains(sentinel + ": its TLS certificate does not name the host '127.0.0.1'");
				assertThat(analysis.getAction()).contains("The TLS certificates of the sentinels " + sentinel)
					.contains("subject alternative names")
					.contains("ha.redis.sentinel.nodes")
					.doesNotContain("the master the sentinels name");
			});
		}
	}

}
