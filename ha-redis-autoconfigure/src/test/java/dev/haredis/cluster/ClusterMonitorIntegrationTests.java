package dev.haredis.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.test.LocalClusterTopology;
import dev.haredis.test.LocalClusterTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.TopologyHealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster monitor and its connection factory on a real local cluster: a failed shard's slots take writes again
 * right after its replica is promoted, no command waits for the command timeout, and every move is published once.
 */
class ClusterMonitorIntegrationTests {

	/** Long, so that a command that waited for it shows at once. */
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final LocalClusterTopologyExtension cluster = new LocalClusterTopologyExtension();

	private final List<ShardFailoverEvent> events = new CopyOnWriteArrayList<>();

	private ClientResources resources;

	private ClusterMonitor monitor;

	private ClusterLettuceConnectionFactory factory;

	private StringRedisTemplate redis;

	@BeforeEach
	void start() {
		LocalClusterTopology topology = cluster.topology();
		List<NodeAddress> seeds = topology.nodes().stream().map(ClusterMonitorIntegrationTests::address).toList();
		this.resources = DefaultClientResources.create();
		this.monitor = new ClusterMonitor(
				new ClusterMonitorSettings(seeds, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(500),
						true, AddressMap.NONE),
				this.resources, ClientOptions.create(), RedisURI.create("127.0.0.1", 1), Clock.systemUTC(),
				() -> List.of(this.events::add));
		this.monitor.start();
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				seeds.stream().map((seed) -> seed.host() + ":" + seed.port()).toList());
		this.factory = new ClusterLettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder()
					.clientResources(this.resources)
					.commandTimeout(COMMAND_TIMEOUT)
					.build(),
				this.monitor, Duration.ofMillis(100), Duration.ofSeconds(2));
		this.factory.afterPropertiesSet();
		this.redis = new StringRedisTemplate(this.factory);
	}

	@AfterEach
	void stop() {
		if (this.factory != null) {
			this.factory.destroy();
		}
		if (this.monitor != null) {
			this.monitor.stop();
		}
		if (this.resources != null) {
			this.resources.shutdown();
		}
		cluster.topology().restore();
	}

	@Test
	void aKilledMastersSlotsTakeWritesRightAfterItsReplicaIsPromoted() throws InterruptedException {
		LocalClusterTopology topology = cluster.topology();
		Failover failover = writeThrough("user:42", topology::killMasterOf);
		assertThat(failover.firstWriteAfterPromotion()).isLessThan(Duration.ofSeconds(2));
		assertThat(failover.writer().longest()).as("no command waits for the command timeout")
			.isLessThan(COMMAND_TIMEOUT.dividedBy(2));
		assertThat(failover.otherShard().failures()).as("the other shards' writes, CLUSTERDOWN sent again").isEmpty();
		assertThat(String.valueOf(failover.promoted().command("GET", "user:42")))
			.isEqualTo(failover.writer().lastWritten());
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.events.isEmpty());
		assertThat(this.events).singleElement().satisfies((move) -> {
			assertThat(move.from()).isEqualTo(address(failover.previous()));
			assertThat(move.to()).isEqualTo(address(failover.promoted()));
		});
		ClusterSnapshot snapshot = this.monitor.getSnapshot();
		assertThat(snapshot.health()).as("the promoted master has no replica while the old one is down")
			.isEqualTo(TopologyHealth.DEGRADED);
		assertThat(snapshot.lastFailovers()).containsKey(address(failover.promoted()));
		topology.restore();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.monitor.getSnapshot().health()).isEqualTo(TopologyHealth.UP));
		// The old master, back as the new one's replica, shows with its lag once the new master was asked.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			ClusterSnapshot now = this.monitor.getSnapshot();
			ClusterView.Shard shard = now.view().shardOf(LocalClusterTopology.slot("user:42"));
			assertThat(shard.master()).isEqualTo(address(failover.promoted()));
			assertThat(now.replicasOf(shard)).singleElement().satisfies((replica) -> {
				assertThat(replica.address()).isEqualTo(address(failover.previous()));
				assertThat(replica.state()).isEqualTo("online");
				assertThat(replica.lagBytes()).isNotNull().isNotNegative();
				assertThat(replica.listed()).isTrue();
			});
		});
	}

	@Test
	void aFrozenMastersSlotsTakeWritesAfterItsReplicaIsPromotedAndNoneLandsOnTheFrozenOne() throws InterruptedException {
		Failover failover = writeThrough("cart:3", cluster.topology()::freezeMasterOf);
		assertThat(failover.writer().longest()).as("no command waits for the command timeout")
			.isLessThan(COMMAND_TIMEOUT.dividedBy(2));
		failover.previous().unfreeze();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(String.valueOf(failover.promoted().command("GET", "cart:3")))
				.isEqualTo(failover.writer().lastWritten()));
	}

	@Test
	void aManualFailoverMovesWritesToThePromotedReplica() throws InterruptedException {
		Failover failover = writeThrough("order:7", cluster.topology()::failoverShardOf);
		assertThat(failover.writer().failures()).as("failed writes").isEmpty();
		assertThat(String.valueOf(failover.promoted().command("GET", "order:7")))
			.isEqualTo(failover.writer().lastWritten());
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.events.isEmpty());
		assertThat(this.events).singleElement()
			.satisfies((move) -> assertThat(move.to()).isEqualTo(address(failover.promoted())));
	}

	/**
	 * Write a key, and one on another master, every 10 ms while a fault hits the key's master, until a write
	 * succeeds after its replica is promoted.
	 */
	private Failover writeThrough(String key, IntFunction<RedisProcess> fault) throws InterruptedException {
		LocalClusterTopology topology = cluster.topology();
		int slot = LocalClusterTopology.slot(key);
		this.redis.opsForValue().set(key, "before");
		Writer writer = new Writer(this.redis, key);
		Writer otherShard = new Writer(this.redis, keyOnAnotherMaster(key));
		writer.start();
		otherShard.start();
		try {
			Thread.sleep(200);
			RedisProcess previous = fault.apply(slot);
			RedisProcess promoted = topology.awaitNewMasterOf(slot, previous, Duration.ofSeconds(30));
			long promotedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(5)).until(() -> writer.lastSuccessAfter(promotedAt));
			return new Failover(previous, promoted, writer, otherShard,
					Duration.ofNanos(writer.firstSuccessAfter(promotedAt) - promotedAt));
		}
		finally {
			writer.stop();
			otherShard.stop();
		}
	}

	/**
	 * What {@link #writeThrough} saw.
	 */
	private record Failover(RedisProcess previous, RedisProcess promoted, Writer writer, Writer otherShard,
			Duration firstWriteAfterPromotion) {
	}

	private static String keyOnAnotherMaster(String key) {
		LocalClusterTopology topology = cluster.topology();
		RedisProcess master = topology.masterOf(LocalClusterTopology.slot(key));
		for (int i = 0;; i++) {
			if (topology.masterOf(LocalClusterTopology.slot("other:" + i)) != master) {
				return "other:" + i;
			}
		}
	}

	private static NodeAddress address(RedisProcess process) {
		return new NodeAddress("127.0.0.1", process.port());
	}

	/**
	 * Writes one key every 10 ms, for 60 s at most, and records each attempt.
	 */
	private static final class Writer implements Runnable {

		private final StringRedisTemplate redis;

		private final String key;

		private final Thread thread = new Thread(this, "cluster-writer");

		private final List<long[]> successes = new CopyOnWriteArrayList<>();

		private final List<String> failures = new CopyOnWriteArrayList<>();

		private volatile long longest;

		private volatile String lastWritten;

		private volatile boolean stopped;

		Writer(StringRedisTemplate redis, String key) {
			this.redis = redis;
			this.key = key;
		}

		void start() {
			this.thread.setDaemon(true);
			this.thread.start();
		}

		@Override
		public void run() {
			long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			for (int i = 0; !this.stopped && System.nanoTime() < end; i++) {
				long started = System.nanoTime();
				try {
					this.redis.opsForValue().set(this.key, Integer.toString(i));
					this.lastWritten = Integer.toString(i);
					this.successes.add(new long[] { started, System.nanoTime() });
				}
				catch (RuntimeException ex) {
					this.failures.add(ex.getMessage());
				}
				this.longest = Math.max(this.longest, System.nanoTime() - started);
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		void stop() throws InterruptedException {
			this.stopped = true;
			this.thread.join(15_000);
		}

		boolean lastSuccessAfter(long nanos) {
			return !this.successes.isEmpty() && this.successes.get(this.successes.size() - 1)[1] > nanos;
		}

		/** When the first write acknowledged after a time was acknowledged. */
		long firstSuccessAfter(long nanos) {
			return this.successes.stream().mapToLong((success) -> success[1]).filter((at) -> at > nanos).min().orElseThrow();
		}

		Duration longest() {
			return Duration.ofNanos(this.longest);
		}

		List<String> failures() {
			return new ArrayList<>(this.failures);
		}

		String lastWritten() {
			return this.lastWritten;
		}

	}

}
