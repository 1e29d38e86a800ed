package dev.haredis.testcontainers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.haredis.autoconfigure.connection.HaRedisClusterConnectionDetails;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.queue.TaskListener;
import dev.haredis.queue.TaskQueueOperations;
import dev.haredis.queue.TaskState;
import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @ServiceConnection} on a {@link RedisClusterContainer} alone configures ha-redis's cluster support, the
 * address map included: no property names a node.
 */
@SpringBootTest(classes = RedisClusterServiceConnectionIntegrationTests.Application.class,
		properties = "ha.redis.queue.result-ttl=1h")
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

	@Autowired
	private TaskQueueOperations queue;

	@Autowired
	private RedisMessageListenerContainer messages;

	@Autowired
	@Qualifier(HaRedisMessagingAutoConfiguration.CONNECTION_FACTORY)
	private RedisConnectionFactory messaging;

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

	@Test
	void queueAndPubSubRunOnTheClusterThroughTheAddressMap() {
		String id = this.queue.enqueue("greetings", "alice");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.result(id).state() == TaskState.SUCCESS);
		NodeAddress master = cluster.view().shardOf(cluster.slot("{greetings}")).master();
		assertThat(cluster.command(master.port(), "EXISTS", "queue:{greetings}")).isEqualTo(1L);

		List<String> received = new CopyOnWriteArrayList<>();
		this.messages.addMessageListener(
				(message, pattern) -> received.add(new String(message.getBody(), StandardCharsets.UTF_8)),
				new ChannelTopic("news"));
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (RedisConnection connection = this.messaging.getConnection()) {
				connection.publish("news".getBytes(StandardCharsets.UTF_8), "hello".getBytes(StandardCharsets.UTF_8));
			}
			return received.contains("hello");
		});
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@TaskListener(queue = "greetings")
		String greet(String name) {
			return "hello " + name;
		}

	}

}
