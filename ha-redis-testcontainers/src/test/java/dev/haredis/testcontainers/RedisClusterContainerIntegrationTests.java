package dev.haredis.testcontainers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisClusterConnectionDetails;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.cluster.ClusterListener;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.cluster.ShardFailoverEvent;
import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A cluster behind port mapping, as in Docker: the nodes announce addresses the application cannot reach, in
 * {@code CLUSTER NODES} and in every {@code MOVED}; the address map makes every shard reachable and a shard's
 * failover followed. The tests run in order on one cluster; the last one fails a shard over.
 */
@RequiresDocker
@Testcontainers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterContainerIntegrationTests {

	@Container
	static final RedisClusterContainer cluster = new RedisClusterContainer(LocalRedisImage.buildOnLinuxOr("redis:7.4"));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisClusterAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("ha.redis.cluster.nodes=" + cluster.getSeedNodes(), "ha.redis.timeout=2s");

	@Test
	@Order(1)
	void withoutTheMapTheAnnouncedNodesCannotBeReached() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ClusterMonitor.class).getView()).hasValueSatisfying((view) -> assertThat(
					view.shards()).allSatisfy((shard) -> assertThat(shard.master().host())
						.isEqualTo(RedisClusterContainer.ANNOUNCED_HOST)));
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			assertThatException().isThrownBy(() -> {
				for (int i = 0; i < 10; i++) {
					redis.opsForValue().set("unmapped:" + i, "x");
				}
			});
		});
	}

	@Test
	@Order(2)
	void withTheMapEveryShardIsReachable() {
		withAddressMap(this.runner).run((context) -> {
			assertThat(context).hasNotFailed();
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			for (int i = 0; i < 30; i++) {
				redis.opsForValue().set("mapped:" + i, Integer.toString(i));
			}
			for (int i = 0; i < 30; i++) {
				NodeAddress master = cluster.view().shardOf(cluster.slot("mapped:" + i)).master();
				assertThat(cluster.command(master.port(), "GET", "mapped:" + i)).isEqualTo(Integer.toString(i));
			}
		});
	}

	@Test
	@Order(3)
	void fromConnectionDetailsAloneAShardFailoverIsFollowedThroughTheMap() {
		List<ShardFailoverEvent> events = new CopyOnWriteArrayList<>();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
					HaRedisClusterAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withPropertyValues("ha.redis.timeout=2s")
			// As @ServiceConnection configures it: connection details from the container, address map included.
			.withBean(HaRedisClusterConnectionDetails.class, () -> new HaRedisClusterConnectionDetails() {

				@Override
				public List<NodeAddress> getNodes() {
					return cluster.getNodeAddresses();
				}

				@Override
				public AddressMap getAddressMap() {
					return cluster.getAddressMap();
				}

			})
			.withBean(ClusterListener.class, () -> events::add)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				redis.opsForValue().set("followed", "before");
				NodeAddress demoted = cluster.failoverShardOf("followed");
				await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events).singleElement()
					.satisfies((event) -> assertThat(event.from()).isEqualTo(demoted)));
				NodeAddress promoted = events.get(0).to();
				assertThat(promoted.host()).isEqualTo(RedisClusterContainer.ANNOUNCED_HOST);
				redis.opsForValue().set("followed", "after");
				assertThat(cluster.command(promoted.port(), "GET", "followed")).isEqualTo("after");
			});
	}

	private static ApplicationContextRunner withAddressMap(ApplicationContextRunner runner) {
		Map<String, Object> properties = Map.copyOf(cluster.getAddressMapProperties());
		return runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("address-map", properties)));
	}

}
