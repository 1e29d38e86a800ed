package dev.haredis.testcontainers;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisClusterConnectionDetails;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceConnection} on a {@link RedisClusterContainer} alone configures ha-redis's cluster support, the
 * address map included: no property names a node.
 */
@SpringBootTest(classes = RedisClusterServiceConnectionIntegrationTests.Application.class)
@Testcontainers
@RequiresDocker
class RedisClusterServiceConnectionIntegrationTests {

	// The type keeps Spring Boot's own Redis service connection (which would match a redis:* image) out.
	@Container
	@ServiceConnection(type = HaRedisClusterConnectionDetails.class)
	static final RedisClusterContainer cluster = new RedisClusterContainer(LocalRedisImage.buildOnLinuxOr("redis:7.4"));

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private ClusterMonitor monitor;

	@Test
	void writesToEveryShardThroughTheAddressMap() {
		assertThat(this.monitor.getSnapshot().slotsAssigned()).isEqualTo(16384);
		for (int i = 0; i < 30; i++) {
			this.redis.opsForValue().set("connected:" + i, Integer.toString(i));
		}
		for (int i = 0; i < 30; i++) {
			NodeAddress master = cluster.view().shardOf(cluster.slot("connected:" + i)).master();
			assertThat(cluster.command(master.port(), "GET", "connected:" + i)).isEqualTo(Integer.toString(i));
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
