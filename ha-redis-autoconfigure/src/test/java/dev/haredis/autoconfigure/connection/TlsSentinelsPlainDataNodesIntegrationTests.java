package dev.haredis.autoconfigure.connection;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.test.TestCertificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reverse of {@link PlainSentinelsTlsDataNodesIntegrationTests}: sentinels that serve their clients over TLS
 * only, in front of plain data nodes. {@code ha.redis.sentinel.ssl.bundle} alone turns TLS on for the sentinels,
 * with their own trust material, and leaves the data connections plain.
 */
class TlsSentinelsPlainDataNodesIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().sentinelTls(TestCertificate.LOCALHOST).sentinels(1, 1));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HaRedisConnectionAutoConfiguration.class,
				DataRedisAutoConfiguration.class))
		// The first TLS connection of a JVM takes seconds to set up on a loaded machine: not what is tested here.
		.withPropertyValues("ha.redis.timeout=2s", "ha.redis.sentinel.timeout=5s");

	@Test
	void writesInPlainTextAndFollowsAFailoverThroughTlsSentinels() {
		this.runner
			.withPropertyValues("ha.redis.sentinel.master=" + redis.topology().masterName(),
					"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(),
					"ha.redis.sentinel.ssl.bundle=sentinels",
					"spring.ssl.bundle.pem.sentinels.truststore.certificate=file:"
							+ redis.topology().tlsCaCertificate())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(HaRedisConnectionDetails.class).getSslBundle()).isNull();
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				template.opsForValue().set("tls-sentinels", "before");
				assertThat(redis.topology().master().command("GET", "tls-sentinels")).isEqualTo("before");

				RedisProcess demoted = redis.topology().failover();
				RedisProcess promoted = redis.topology().awaitNewMaster(demoted, Duration.ofSeconds(30));
				await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
					template.opsForValue().set("tls-sentinels", "after");
					assertThat(promoted.command("GET", "tls-sentinels")).isEqualTo("after");
				});
			});
	}

}
