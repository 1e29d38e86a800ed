package dev.haredis.autoconfigure.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.health.HaRedisClusterHealthContributorAutoConfiguration;
import dev.haredis.autoconfigure.metrics.HaRedisClusterMetricsAutoConfiguration;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.health.ClusterHealthIndicator;
import dev.haredis.metrics.ClusterMetrics;
import dev.haredis.cluster.ShardFailoverEvent;
import dev.haredis.test.LocalClusterTopology;
import dev.haredis.test.LocalClusterTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configuration on a real local cluster: the application's template writes to every shard, and a shard's
 * failover reaches the application as a {@link ShardFailoverEvent} and its writes the promoted replica.
 */
class HaRedisClusterIntegrationTests {

	@RegisterExtension
	static final LocalClusterTopologyExtension cluster = new LocalClusterTopologyExtension();

	private final List<ShardFailoverEvent> events = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisClusterAutoConfiguration.class, DataRedisAutoConfiguration.class,
				HaRedisClusterHealthContributorAutoConfiguration.class, HaRedisClusterMetricsAutoConfiguration.class))
		.withBean("shardFailovers", ApplicationListener.class,
				() -> (ApplicationListener<PayloadApplicationEvent<ShardFailoverEvent>>) (event) -> this.events
					.add(event.getPayload()));

	@Test
	void writesToEveryShardAndFollowsAManualFailover() {
		LocalClusterTopology topology = cluster.topology();
		this.runner.withPropertyValues("ha.redis.cluster.nodes=" + topology.seedNodes()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ClusterMonitor.class).getView()).hasValueSatisfying(
					(view) -> assertThat(view.shards()).hasSize(3));
			ClusterHealthIndicator indicator = context.getBean("redisClusterHealthIndicator",
					ClusterHealthIndicator.class);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(indicator.health(false).getStatus()).isEqualTo(Status.UP));
			Health health = indicator.health(true);
			assertThat(health.getDetails()).containsEntry("state", "ok")
				.containsEntry("slotsAssigned", 16384)
				.containsEntry("slotsFailing", 0);
			assertThat((List<?>) health.getDetails().get("shards")).hasSize(3);
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			context.getBean(ClusterMetrics.class).bindTo(meters);
			assertThat(meters.get("ha.redis.cluster.slots.assigned").gauge().value()).isEqualTo(16384);
			assertThat(meters.get("ha.redis.topology.health").tag("topology", "cluster").gauge().value()).isZero();
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			for (int i = 0; i < 30; i++) {
				redis.opsForValue().set("key:" + i, Integer.toString(i));
			}
			assertThat(topology.nodes().stream().filter((node) -> !topology.replicasOf(node).isEmpty()))
				.as("every master got some of the keys")
				.allSatisfy((master) -> assertThat(((Number) master.command("DBSIZE")).longValue()).isPositive());
			// One master is asked its replicas' lag per refresh interval (1s), in turn.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat((List<?>) indicator.health(true).getDetails().get("shards"))
					.hasSize(3)
					.allSatisfy((shard) -> assertReplicasWithLag(topology, (Map<?, ?>) shard)));
			int slot = LocalClusterTopology.slot("key:0");
			RedisProcess demoted = topology.failoverShardOf(slot);
			RedisProcess promoted = topology.awaitNewMasterOf(slot, demoted, Duration.ofSeconds(30));
			redis.opsForValue().set("key:0", "after");
			assertThat(String.valueOf(promoted.command("GET", "key:0"))).isEqualTo("after");
			await().atMost(Duration.ofSeconds(5)).until(() -> !this.events.isEmpty());
			assertThat(this.events).singleElement().satisfies((event) -> {
				assertThat(event.from()).isEqualTo(new NodeAddress("127.0.0.1", demoted.port()));
				assertThat(event.to()).isEqualTo(new NodeAddress("127.0.0.1", promoted.port()));
			});
			assertThat(meters.get("ha.redis.cluster.failovers").functionCounter().count()).isEqualTo(1);
		});
		topology.restore();
	}

	/** As its master sees them: each replica online, at the address CLUSTER NODES gives, with its lag in bytes. */
	private static void assertReplicasWithLag(LocalClusterTopology topology, Map<?, ?> shard) {
		RedisProcess master = topology.nodes()
			.stream()
			.filter((node) -> node.address().equals(shard.get("master")))
			.findFirst()
			.orElseThrow();
		List<String> replicas = topology.replicasOf(master).stream().map(RedisProcess::address).toList();
		assertThat(replicas).isNotEmpty();
		assertThat((List<?>) shard.get("replicas")).as("replicas of %s", shard.get("master"))
			.hasSize(replicas.size())
			.allSatisfy((replica) -> {
				Map<?, ?> details = (Map<?, ?>) replica;
				assertThat(details.keySet().stream().map(String::valueOf)).as("listed, and seen at that address")
					.containsExactly("address", "state", "lagBytes");
				assertThat(details.get("address")).isIn(replicas);
				assertThat(details.get("state")).isEqualTo("online");
				assertThat(details.get("lagBytes")).isInstanceOfSatisfying(Long.class,
						(lag) -> assertThat(lag).isNotNegative());
			});
	}

}
