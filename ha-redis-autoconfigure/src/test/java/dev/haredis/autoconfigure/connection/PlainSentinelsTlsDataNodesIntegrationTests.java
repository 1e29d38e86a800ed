package dev.haredis.autoconfigure.connection;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
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
import dev.haredis.test.RedisProcess;
import dev.haredis.test.TestCertificate;
import dev.haredis.topology.DiscoveryAttempt;
import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.MasterDiscoveryException;
import dev.haredis.topology.SentinelTopology;

import static dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfigurationTests.rootCause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plain sentinels in front of TLS-only data nodes, as on a private network where only the data is encrypted: the
 * sentinels' client port speaks plain text, while they reach the data nodes (and each other, on a port of their
 * own) over TLS. {@code ha.redis.sentinel.ssl.enabled=false} keeps the sentinels plain while {@code ha.redis.ssl.*}
 * encrypts every data connection.
 */
class PlainSentinelsTlsDataNodesIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().dataNodeTls(TestCertificate.LOCALHOST));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HaRedisConnectionAutoConfiguration.class,
				DataRedisAutoConfiguration.class))
		// The first TLS connection of a JVM takes seconds to set up on a loaded machine: not what is tested here.
		.withPropertyValues("ha.redis.timeout=2s", "ha.redis.sentinel.timeout=5s");

	@AfterEach
	void restore() {
		redis.topology().restore();
	}

	private ApplicationContextRunner withTlsDataNodes() {
		return this.runner.withPropertyValues("ha.redis.sentinel.master=" + redis.topology().masterName(),
				"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(), "ha.redis.ssl.bundle=redis",
				"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + redis.topology().tlsCaCertificate());
	}

	@Test
	void writesOverTlsAndFollowsAFailoverThroughPlainSentinels() {
		withTlsDataNodes().withPropertyValues("ha.redis.sentinel.ssl.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("mixed-tls", "before");
			RedisProcess master = redis.topology().master();
			assertThat(master.command("GET", "mixed-tls")).isEqualTo("before");
			// The sentinels the application follows are the three plain ones; those they announce to each other
			// (their TLS ports) are recognised by their ids and not followed twice.
			SentinelTopology topology = context.getBean(SentinelTopology.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(topology.getSnapshot().sentinels()).hasSize(3)
					.allSatisfy((sentinel) -> assertThat(sentinel.reachable()).as(sentinel.toString()).isTrue()));

			RedisProcess killed = redis.topology().killMaster();
			RedisProcess promoted = redis.topology().awaitNewMaster(killed, Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
				template.opsForValue().set("mixed-tls", "after");
				assertThat(promoted.command("GET", "mixed-tls")).isEqualTo("after");
			});
		});
	}

	@Test
	void reportsPlainSentinelsReachedOverTlsAndSaysToTurnTlsOffForThem() {
		// Without ha.redis.sentinel.ssl.*, the sentinels follow ha.redis.ssl.* (TLS), as before the property existed.
		withTlsDataNodes().withPropertyValues("ha.redis.sentinel.timeout=2s").run((context) -> {
			assertThat(context).hasFailed();
			// A plain port never answers the TLS handshake, which gives up first, unless the connection's own
			// timeout wins the race (the first TLS connection of a JVM is slow to set up): then the detail says so.
			assertThat(rootCause(context, MasterDiscoveryException.class).getAttempts()).hasSize(3)
				.allMatch(DiscoveryAttempt::sentinelSide)
				.allSatisfy((attempt) -> assertThat(attempt.detail()).contains("TLS"))
				.anySatisfy((attempt) -> assertThat(attempt.problem()).isEqualTo(Problem.TLS));
			FailureAnalysis analysis = new MasterDiscoveryFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("TLS failed between this host and the sentinels")
				.contains("ha.redis.sentinel.ssl.enabled=false")
				.doesNotContain("the master the sentinels name");
		});
	}

}
