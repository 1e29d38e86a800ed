package dev.haredis.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.health.HaRedisHealthContributorAutoConfiguration;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RequiresLoopbackPartitions;
import dev.haredis.topology.SentinelLostEvent;
import dev.haredis.topology.TopologyDegradedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application cut off from the sentinels (on the minority side of a partition, with the old master) says so:
 * health stops being {@code UP} within the refresh interval plus the sentinel timeout, with the reason, and the
 * events are published.
 */
@RequiresLoopbackPartitions
class MinoritySideIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().partitionable());

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				DataRedisAutoConfiguration.class, HaRedisHealthContributorAutoConfiguration.class));

	@Test
	void healthIsNoLongerUpWithinRefreshIntervalPlusSentinelTimeoutAndSaysWhy() {
		List<Object> events = new CopyOnWriteArrayList<>();
		this.runner
			.withPropertyValues("ha.redis.sentinel.master=mymaster",
					"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(),
					"ha.redis.topology.refresh-interval=1s", "ha.redis.sentinel.timeout=1s")
			.withBean(ApplicationListener.class, () -> (ApplicationListener<?>) events::add)
			.run((context) -> {
				SentinelTopologyHealthIndicator health = context.getBean(SentinelTopologyHealthIndicator.class);
				LocalSentinelTopology topology = redis.topology();
				await().atMost(Duration.ofSeconds(10)).until(() -> status(health).equals(Status.UP));
				long cut = System.nanoTime();
				try {
					topology.partitions().partitionMasterWithApplication(Duration.ofSeconds(30));
					await().atMost(Duration.ofSeconds(3))
						.pollInterval(Duration.ofMillis(20))
						.until(() -> !status(health).equals(Status.UP));
					// Refresh interval plus sentinel timeout, and what scheduling on a busy machine adds.
					assertThat(Duration.ofNanos(System.nanoTime() - cut)).isLessThan(Duration.ofMillis(2500));
					assertThat(health.health(true).getDetails().get("problems")).asString()
						.contains("of 3 sentinels reachable; a failover needs a majority (2)");
					await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
						assertThat(payloads(events)).anySatisfy((event) -> assertThat(event)
							.isInstanceOfSatisfying(TopologyDegradedEvent.class, (degraded) -> assertThat(
									degraded.reasons()).anySatisfy((reason) -> assertThat(reason)
										.contains("sentinels reachable"))));
						assertThat(payloads(events)).filteredOn(SentinelLostEvent.class::isInstance).hasSize(3);
					});
				}
				finally {
					topology.restore();
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> status(health).equals(Status.UP));
			});
	}

	private static Status status(SentinelTopologyHealthIndicator indicator) {
		Health health = indicator.health(false);
		return health.getStatus();
	}

	private static List<Object> payloads(List<Object> events) {
		return events.stream()
			.filter(PayloadApplicationEvent.class::isInstance)
			.map((event) -> ((PayloadApplicationEvent<?>) event).getPayload())
			.map(Object.class::cast)
			.toList();
	}

}
