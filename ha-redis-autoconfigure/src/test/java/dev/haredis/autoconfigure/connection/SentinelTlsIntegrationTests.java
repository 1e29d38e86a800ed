package dev.haredis.autoconfigure.connection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.MasterDiscoveryException;

import static dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfigurationTests.rootCause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentinels and data nodes that speak TLS only, reached through a Spring Boot SSL bundle.
 */
class SentinelTlsIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().tls().sentinels(1, 1));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HaRedisConnectionAutoConfiguration.class,
				DataRedisAutoConfiguration.class))
		// The first TLS connection of a JVM takes seconds to set up on a loaded machine: not what is tested here.
		.withPropertyValues("ha.redis.sentinel.timeout=5s");

	private ApplicationContextRunner withSentinels() {
		return this.runner.withPropertyValues("ha.redis.sentinel.master=" + redis.topology().masterName(),
				"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes());
	}

	@Test
	void connectsOverTlsWithAnSslBundle() {
		withSentinels()
			.withPropertyValues("ha.redis.ssl.bundle=redis", "spring.ssl.bundle.pem.redis.truststore.certificate=file:"
					+ redis.topology().tlsCaCertificate())
			.run((context) -> {
				context.getBean(StringRedisTemplate.class).opsForValue().set("over-tls", "secret");
				assertThat(redis.topology().master().command("GET", "over-tls")).isEqualTo("secret");
			});
	}

	@Test
	void reportsAnUntrustedServerCertificate() {
		withSentinels().withPropertyValues("ha.redis.ssl.enabled=true").run((context) -> {
			assertThat(rootCause(context, MasterDiscoveryException.class).getAttempts()).singleElement()
				.satisfies((attempt) -> assertThat(attempt.problem()).as(attempt.detail()).isEqualTo(Problem.TLS));
			FailureAnalysis analysis = new MasterDiscoveryFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("ha.redis.ssl.bundle");
		});
	}

	@Test
	void reportsAPlainConnectionToATlsPort() {
		withSentinels().run((context) -> {
			assertThat(rootCause(context, MasterDiscoveryException.class).getAttempts()).singleElement()
				.satisfies((attempt) -> assertThat(attempt.problem()).as(attempt.detail()).isEqualTo(Problem.TLS));
			FailureAnalysis analysis = new MasterDiscoveryFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("ha.redis.ssl.enabled");
		});
	}

}
