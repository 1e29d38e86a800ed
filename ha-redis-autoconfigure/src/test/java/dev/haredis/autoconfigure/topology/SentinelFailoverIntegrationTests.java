package dev.haredis.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.health.HaRedisHealthContributorAutoConfiguration;
import dev.haredis.autoconfigure.metrics.HaRedisMetricsAutoConfiguration;
import dev.haredis.connection.MasterRouting;
import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.metrics.SentinelTopologyMetrics;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelEvent;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyHealth;
import dev.haredis.topology.TopologySnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Failovers on a real master, replica and three sentinels ({@code down-after-milliseconds} 2000), with the
 * application writing all along: what the monitor reports (events, meters, health) and how it follows. That writes
 * land on the new master after a kill, a manual failover and a freeze (with health {@code DOWN} while frozen), and
 * that a killed master returns as a replica, is the failover suite's part
 * ({@code FailoverSuite} in ha-redis-testcontainers, run on these processes and on containers).
 */
class SentinelFailoverIntegrationTests {

	private static final Duration FAILOVER = Duration.ofSeconds(30);

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class,
						HaRedisHealthContributorAutoConfiguration.class, HaRedisMetricsAutoConfiguration.class))
		.withBean(TopologyEventCollector.class)
		.withPropertyValues("ha.redis.timeout=30s");

	@AfterEach
	void restore() {
		redis.topology().restore();
	}

	private ApplicationContextRunner app() {
		return this.runner.withPropertyValues("ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes());
	}

	@Test
	void manualFailoverMovesWritesToTheNewMasterWithoutReadOnlyErrors() {
		app().run((context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			TopologyEventCollector events = context.getBean(TopologyEventCollector.class);
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			context.getBean(SentinelTopologyMetrics.class).bindTo(meters);
			try (BackgroundWriter writer = new BackgroundWriter(template, "manual")) {
				await().atMost(Duration.ofSeconds(5)).until(() -> writer.succeededAfter(Instant.EPOCH));
				RedisProcess oldMaster = redis.topology().failover();
				RedisProcess newMaster = redis.topology().awaitNewMaster(oldMaster, FAILOVER);
				MasterSwitchedEvent switched = await().atMost(FAILOVER)
					.until(() -> events.events(MasterSwitchedEvent.class), (list) -> !list.isEmpty())
					.get(0);
				assertThat(switched.from()).isEqualTo(address(oldMaster));
				assertThat(switched.to()).isEqualTo(address(newMaster));
				// Whichever comes first during the failover: the promoted replica answering as master (watched from
				// +selected-slave), +switch-master, or a check finding the sentinels already naming it (they do from
				// +promoted-slave on, a moment before +switch-master).
				assertThat(switched.cause()).containsAnyOf("+selected-slave", "+switch-master",
						"reconciliation: sentinel");
				await().atMost(Duration.ofSeconds(5)).until(() -> writer.succeededAfter(switched.at()));
				// Past a few reconciliations (each verifies the master again): the application must not have gone
				// back to the old master meanwhile, and writes must still succeed after the last one.
				Instant reconciled = awaitReconciliations(context.getBean(SentinelTopology.class), switched.at(),
						address(newMaster), 3);
				await().atMost(Duration.ofSeconds(5)).until(() -> writer.succeededAfter(reconciled));
				writer.close();
				assertThat(events.events(MasterSwitchedEvent.class)).singleElement()
					.satisfies((only) -> assertThat(only.to()).isEqualTo(address(newMaster)));
				assertThat(writer.failuresSince(switched.at())).isEmpty();
				assertThat(writer.outcomes()).noneMatch((outcome) -> String.valueOf(outcome.error()).contains("READONLY"));
				long last = writer.outcomes().get(writer.outcomes().size() - 1).index();
				assertThat(newMaster.command("GET", "manual:" + last)).isEqualTo(Long.toString(last));
				// No acknowledged write lost: from +selected-slave, writes wait for the promoted replica instead of
				// going to the old master, which drops what it took after the promotion when it becomes a replica.
				List<String> acknowledged = writer.outcomes()
					.stream()
					.filter((outcome) -> outcome.error() == null)
					.map((outcome) -> "manual:" + outcome.index())
					.toList();
				List<String> mget = new ArrayList<>(List.of("MGET"));
				mget.addAll(acknowledged);
				List<?> values = (List<?>) newMaster.command(mget.toArray(String[]::new));
				List<String> lost = new ArrayList<>();
				for (int i = 0; i < acknowledged.size(); i++) {
					if (values.get(i) == null) {
						lost.add(acknowledged.get(i));
					}
				}
				assertThat(lost).as(() -> "acknowledged writes missing on the new master (of " + acknowledged.size()
						+ ")\n" + processLogs()).isEmpty();
				assertThat(writer.outcomes()).allSatisfy((outcome) -> assertThat(
						Duration.between(outcome.start(), outcome.end())).isLessThan(Duration.ofMillis(1500)));
				assertThat(meters.get("ha.redis.failovers").functionCounter().count()).isEqualTo(1);
				assertThat(meters.get("ha.redis.master").tag("address", address(newMaster).toString()).gauge().value())
					.isEqualTo(1);
			}
			TopologySnapshot snapshot = context.getBean(SentinelTopology.class).getSnapshot();
			assertThat(snapshot.lastFailover()).isNotNull();
			assertThat(events.events(SentinelEvent.class)).extracting(SentinelEvent::type).contains("+switch-master");
		});
	}

	@Test
	void pubSubListenerReceivesAgainAfterFailover() {
		app().withUserConfiguration(ListenerContainerConfiguration.class).run((context) -> {
			RedisMessageListenerContainer container = context.getBean(RedisMessageListenerContainer.class);
			List<String> received = new CopyOnWriteArrayList<>();
			container.addMessageListener((message, pattern) -> received.add(new String(message.getBody())),
					new ChannelTopic("news"));
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				template.convertAndSend("news", "before");
				assertThat(received).contains("before");
			});
			RedisProcess oldMaster = redis.topology().failover();
			redis.topology().awaitNewMaster(oldMaster, FAILOVER);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				template.convertAndSend("news", "after");
				assertThat(received).contains("after");
			});
		});
	}

	@Test
	void healthIsUpWithAllSentinelsAndDegradedWithTwoOfThreeDown() {
		app().run((context) -> {
			SentinelTopology topology = context.getBean(SentinelTopology.class);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				TopologySnapshot snapshot = topology.getSnapshot();
				assertThat(snapshot.health()).as(snapshot.problems().toString()).isEqualTo(TopologyHealth.UP);
				assertThat(snapshot.sentinelsReached()).isEqualTo(3);
				assertThat(snapshot.replicas()).singleElement()
					.satisfies((replica) -> assertThat(replica.lagBytes()).isNotNull());
				assertThat(snapshot.quorum()).isEqualTo(2);
				assertThat(snapshot.quorumOk()).isTrue();
			});
			SentinelTopologyHealthIndicator indicator = context.getBean(SentinelTopologyHealthIndicator.class);
			Health up = indicator.health();
			assertThat(up.getStatus()).isEqualTo(Status.UP);
			assertThat(up.getDetails()).containsEntry("master", redis.topology().master().address())
				.containsEntry("roleVerified", true);
			List<RedisProcess> sentinels = redis.topology().sentinels();
			sentinels.get(0).kill();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				TopologySnapshot snapshot = topology.getSnapshot();
				assertThat(snapshot.sentinelsReached()).isEqualTo(2);
				assertThat(snapshot.health()).isEqualTo(TopologyHealth.UP);
			});
			sentinels.get(1).kill();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				TopologySnapshot snapshot = topology.getSnapshot();
				assertThat(snapshot.health()).isEqualTo(TopologyHealth.DEGRADED);
				assertThat(snapshot.problems()).anyMatch((problem) -> problem.contains("only 1 of 3 sentinels"));
			});
			Health degraded = indicator.health();
			assertThat(degraded.getStatus()).isEqualTo(SentinelTopologyHealthIndicator.DEGRADED);
			assertThat(degraded.getDetails().get("sentinels")).asString().contains("reached=1").contains("known=3");
			context.getBean(StringRedisTemplate.class).opsForValue().set("one-sentinel-left", "still writes");
		});
	}

	@Test
	void followsAFailoverAfterEverySentinelRestarted() {
		app().run((context) -> {
			SentinelTopology topology = context.getBean(SentinelTopology.class);
			for (RedisProcess sentinel : redis.topology().sentinels()) {
				sentinel.kill();
			}
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(topology.getSnapshot().sentinelsReached()).isZero());
			redis.topology().restore();
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(topology.getSnapshot().sentinelsReached()).isEqualTo(3));
			RedisProcess oldMaster = redis.topology().failover();
			RedisProcess newMaster = redis.topology().awaitNewMaster(oldMaster, FAILOVER);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(topology.getMaster())
				.hasValueSatisfying((master) -> assertThat(master.address()).isEqualTo(address(newMaster))));
		});
	}

	@Test
	void readOnlyReplyTriggersAnImmediateCheck() {
		app().withPropertyValues("ha.redis.topology.refresh-interval=10m").run((context) -> {
			SentinelTopology topology = context.getBean(SentinelTopology.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("before-demotion", "ok");
			await().atMost(Duration.ofSeconds(5)).until(() -> topology.getSnapshot().masterVerified());
			RedisProcess master = redis.topology().master();
			RedisProcess replica = redis.topology().replicas().get(0);
			// Demote the master behind the sentinels' back; no sentinel event will tell the application.
			replica.command("REPLICAOF", "NO", "ONE");
			master.command("REPLICAOF", "127.0.0.1", Integer.toString(replica.port()));
			try {
				// The demoted server refuses the write: it is not silently lost, and the caller sees why.
				assertThatExceptionOfType(RuntimeException.class)
					.isThrownBy(() -> template.opsForValue().set("after-demotion", "refused"))
					.satisfies((ex) -> assertThat(NestedExceptionUtils.getMostSpecificCause(ex).getMessage())
						.startsWith("READONLY"));
				// With a 10-minute refresh interval and no sentinel event, only that reply can trigger the check.
				await().atMost(Duration.ofSeconds(2))
					.untilAsserted(() -> assertThat(topology.getSnapshot().masterVerified()).isFalse());
			}
			finally {
				master.command("REPLICAOF", "NO", "ONE");
				replica.command("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
			}
		});
	}

	@Test
	void oneRoutingAndOneTopologyServeTheApplication() {
		app().run((context) -> assertThat(context).hasSingleBean(SentinelTopology.class)
			.hasSingleBean(MasterRouting.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerContainerConfiguration {

		@Bean
		RedisMessageListenerContainer redisMessageListenerContainer(RedisConnectionFactory connectionFactory) {
			RedisMessageListenerContainer container = new RedisMessageListenerContainer();
			container.setConnectionFactory(connectionFactory);
			return container;
		}

	}

	/**
	 * Wait until the topology has verified {@code master} in {@code count} reconciliations after {@code since},
	 * failing as soon as it names another master.
	 * @return when the last of them verified it
	 */
	private static Instant awaitReconciliations(SentinelTopology topology, Instant since, NodeAddress master,
			int count) {
		Set<Instant> verifications = new HashSet<>();
		Set<NodeAddress> mastersSeen = new LinkedHashSet<>();
		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
			TopologySnapshot snapshot = topology.getSnapshot();
			mastersSeen.add(snapshot.master());
			Instant verifiedAt = snapshot.masterVerifiedAt();
			if (snapshot.masterVerified() && verifiedAt != null && verifiedAt.isAfter(since)) {
				verifications.add(verifiedAt);
			}
			return verifications.size() >= count || !master.equals(snapshot.master());
		});
		// every snapshot taken while waiting named the new master: not one went back to the old one
		assertThat(mastersSeen).containsExactly(master);
		return verifications.stream().max(Instant::compareTo).orElseThrow();
	}

	private static String processLogs() {
		return Stream.concat(redis.topology().servers().stream(), redis.topology().sentinels().stream())
			.map((process) -> "--- " + process + " ---\n" + process.logTail())
			.collect(Collectors.joining("\n"));
	}

	private static NodeAddress address(RedisProcess process) {
		return new NodeAddress("127.0.0.1", process.port());
	}

}
