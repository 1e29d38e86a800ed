package dev.haredis.testcontainers;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionDetails;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyHealth;
import dev.haredis.topology.TopologySnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The container topology's other fault triggers, each followed by an application configured from the container
 * alone (as {@code @ServiceConnection} does): a manual failover, a frozen master, stopped sentinels.
 */
@RequiresDocker
@Testcontainers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelContainerFaultsIntegrationTests {

	private static final Duration RECOVERY = Duration.ofSeconds(15);

	@Container
	static final RedisSentinelContainer redis = new RedisSentinelContainer(LocalRedisImage.buildOnLinuxOr("redis:7.4"))
		.withReplicas(2);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("ha.redis.timeout=2s")
		.withBean(HaRedisConnectionDetails.class, () -> () -> HaRedisConnectionDetails.Sentinel
			.of(redis.getMasterName(), redis.getSentinelAddresses(), null, null, redis.getAddressMap()));


	@Test
	@Order(1)
	void followsAManualFailover() {
		this.runner.run((context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			NodeAddress demoted = redis.failover();
			NodeAddress promoted = redis.awaitNewMaster(demoted, Duration.ofSeconds(30));
			await().atMost(RECOVERY).ignoreExceptions().untilAsserted(() -> {
				template.opsForValue().set("after-manual-failover", "yes");
				assertThat(redis.command(promoted.port(), "GET", "after-manual-failover")).isEqualTo("yes");
			});
			// The sentinels turn the old master into a replica of the new one once the failover completes.
			await().atMost(RECOVERY)
				.untilAsserted(() -> assertThat(((List<?>) redis.command(demoted.port(), "ROLE")).get(0)).isEqualTo("slave"));
		});
	}

	@Test
	@Order(2)
	void leavesAFrozenMaster() {
		this.runner.run((context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			NodeAddress frozen = redis.freezeMaster();
			try {
				NodeAddress promoted = redis.awaitNewMaster(frozen, Duration.ofSeconds(30));
				await().atMost(RECOVERY).ignoreExceptions().untilAsserted(() -> {
					template.opsForValue().set("after-freeze", "yes");
					assertThat(redis.command(promoted.port(), "GET", "after-freeze")).isEqualTo("yes");
				});
				assertThat(context.getBean(SentinelTopology.class).getSnapshot().master())
					.isEqualTo(redis.getMasterAddress());
			}
			finally {
				redis.unfreeze(frozen);
			}
		});
	}

	@Test
	@Order(3)
	void reportsStoppedSentinels() {
		this.runner.withPropertyValues("ha.redis.topology.refresh-interval=200ms").run((context) -> {
			SentinelTopology topology = context.getBean(SentinelTopology.class);
			redis.stopSentinel(1);
			redis.stopSentinel(2);
			try {
				await().atMost(RECOVERY).untilAsserted(() -> {
					TopologySnapshot snapshot = topology.getSnapshot();
					assertThat(snapshot.sentinelsReached()).isEqualTo(1);
					assertThat(snapshot.health()).isEqualTo(TopologyHealth.DEGRADED);
				});
				// Writes still work: a lost majority only stops the next failover.
				context.getBean(StringRedisTemplate.class).opsForValue().set("without-majority", "yes");
			}
			finally {
				redis.startSentinel(1);
				redis.startSentinel(2);
			}
			await().atMost(RECOVERY)
				.untilAsserted(() -> assertThat(topology.getSnapshot().sentinelsReached()).isEqualTo(3));
		});
	}

}
