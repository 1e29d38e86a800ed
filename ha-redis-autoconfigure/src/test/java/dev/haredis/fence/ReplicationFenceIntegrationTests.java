package dev.haredis.fence;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.fence.HaRedisFenceAutoConfiguration;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.test.RequiresLoopbackPartitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replication fence against a real partition, writing every 10 ms: the master is cut off from its replica and
 * the sentinels while the application still reaches it (issue 13's partition (a)), and the same with the application
 * cut off from the sentinels and the replica too, on the minority side with the old master (partition (b)).
 */
@RequiresLoopbackPartitions
@ExtendWith(OutputCaptureExtension.class)
class ReplicationFenceIntegrationTests {

	private static final String UNBOUNDED_REPORT = "The master accepts writes without any replica "
			+ "(min-replicas-to-write 0) and the replication fence is off";

	private static final Duration MAX_REPLICA_LAG = Duration.ofMillis(500);

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().partitionable());

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisFenceAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@ParameterizedTest(name = "application on the minority side: {0}")
	@ValueSource(booleans = { false, true })
	void writesFailFastOnceThePartitionedMasterCannotReplicateAndNoLaterAcknowledgedWriteIsLost(
			boolean applicationOnMinoritySide, CapturedOutput output) {
		List<Object> events = new CopyOnWriteArrayList<>();
		this.runner
			.withPropertyValues("ha.redis.sentinel.master=mymaster",
					"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(),
					"ha.redis.fence.max-replica-lag=" + MAX_REPLICA_LAG.toMillis() + "ms")
			.withBean(ApplicationListener.class, () -> (ApplicationListener<?>) events::add)
			.run((context) -> {
				StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
				ReplicationFence fence = context.getBean(ReplicationFence.class);
				Map<String, Long> acknowledged = new ConcurrentHashMap<>();
				redisTemplate.opsForValue().set("fence:warm-up", "1");
				await().atMost(Duration.ofSeconds(5)).until(() -> !fence.isClosed());
				LocalSentinelTopology topology = redis.topology();
				Writes writes = new Writes(redisTemplate, acknowledged);
				writes.runFor(Duration.ofMillis(500));
				long cut = System.nanoTime();
				RedisProcess isolated = applicationOnMinoritySide
						? topology.partitions().partitionMasterWithApplication(Duration.ofSeconds(40))
						: topology.partitions().partitionMaster(Duration.ofSeconds(40));
				long firstRefusal;
				try {
					firstRefusal = writes.untilRefused(Duration.ofSeconds(5));
					assertThat(Duration.ofNanos(firstRefusal - cut))
						.isLessThanOrEqualTo(MAX_REPLICA_LAG.plusMillis(250));
					assertThat(fence.isClosed()).isTrue();
					assertThat(fence.getClosedBecause()).hasValueSatisfying(
							(reason) -> assertThat(reason).contains("ha.redis.fence.max-replica-lag=500ms"));
					await().atMost(Duration.ofSeconds(1))
						.untilAsserted(() -> assertThat(events).anySatisfy((event) -> assertThat(event)
							.isInstanceOfSatisfying(PayloadApplicationEvent.class, (payload) -> assertThat(
									payload.getPayload()).isInstanceOf(WritesFencedEvent.class))));
					topology.awaitNewMaster(isolated, Duration.ofSeconds(30));
				}
				finally {
					topology.restore();
				}
				// Healed: the old master resynchronised from the promoted replica. What it acknowledged while cut
				// off is gone, but only writes acknowledged in the last max-replica-lag before the fence closed.
				long fenced = firstRefusal;
				List<String> lost = acknowledged.entrySet()
					.stream()
					.filter((entry) -> topology.command(topology.master(), "GET", entry.getKey()) == null)
					.map(Map.Entry::getKey)
					.toList();
				assertThat(lost).allSatisfy((key) -> assertThat(Duration.ofNanos(fenced - acknowledged.get(key)))
					.isLessThanOrEqualTo(MAX_REPLICA_LAG.plusMillis(250)));
				assertThat(lost.size()).isLessThanOrEqualTo(75);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					assertThat(fence.isClosed()).isFalse();
					redisTemplate.opsForValue().set("fence:after", "1");
				});
				assertThat(output).doesNotContain(UNBOUNDED_REPORT);
			});
	}

	@Test
	void saysAtStartUpWhenNeitherTheMasterNorTheFenceBoundsUnreplicatedWrites(CapturedOutput output) {
		this.runner
			.withPropertyValues("ha.redis.sentinel.master=mymaster",
					"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ReplicationFence.class);
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output)
					.contains(UNBOUNDED_REPORT)
					.contains("set ha.redis.fence.max-replica-lag"));
			});
	}

	/** Writes a new key every 10 ms, remembering when each was acknowledged. */
	private static final class Writes {

		private final StringRedisTemplate redisTemplate;

		private final Map<String, Long> acknowledged;

		private int next;

		Writes(StringRedisTemplate redisTemplate, Map<String, Long> acknowledged) {
			this.redisTemplate = redisTemplate;
			this.acknowledged = acknowledged;
		}

		void runFor(Duration duration) {
			long end = System.nanoTime() + duration.toNanos();
			while (System.nanoTime() < end) {
				assertThat(write()).isNull();
			}
		}

		/** Write until one is refused by the fence; return when. */
		long untilRefused(Duration atMost) {
			long end = System.nanoTime() + atMost.toNanos();
			while (System.nanoTime() < end) {
				RuntimeException failure = write();
				if (failure != null) {
					assertThat(failure).isInstanceOf(WritesFencedException.class);
					return System.nanoTime();
				}
			}
			throw new AssertionError("No write was refused within " + atMost);
		}

		private RuntimeException write() {
			String key = "fence:" + (this.next++);
			try {
				this.redisTemplate.opsForValue().set(key, "v");
				this.acknowledged.put(key, System.nanoTime());
				sleep();
				return null;
			}
			catch (RuntimeException ex) {
				return ex;
			}
		}

		private static void sleep() {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
