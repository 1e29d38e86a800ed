package dev.haredis.testcontainers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.health.HaRedisHealthContributorAutoConfiguration;
import dev.haredis.connection.MasterRouting;
import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.test.FailoverTopology;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The failovers every {@link FailoverTopology} must survive, with an application configured from
 * {@link FailoverTopology#applicationProperties()} writing through a {@link StringRedisTemplate} all along: a manual
 * failover, a killed master, a frozen master (health {@code DOWN} until the sentinels move on, writes on the new
 * master within 15 s of the freeze), the master cut off from the replicas and sentinels by a partition, with and
 * without the application on its side. After each, what users rely on: writes succeed again within
 * {@link #RECOVERY} of the sentinels naming the new master, they land on that master (its {@code ROLE} says master
 * and it holds the last value written), no write ever fails with {@code READONLY}, and the old master comes back as
 * a replica of the new one (after a kill, the application lists it as an online replica again). One subclass per implementation starts one topology for all scenarios, restored between
 * them.
 *
 * @param <N> how the topology names its data nodes
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FailoverSuite<N> {

	private static final Duration FAILOVER = Duration.ofSeconds(30);

	/**
	 * How long after the sentinels named the new master writes must succeed again: well inside the command timeout
	 * (so a write stuck on a frozen master fails the test), with room for a loaded CI machine.
	 */
	private static final Duration RECOVERY = Duration.ofSeconds(5);

	/** When a partition heals by itself if the test has not healed it: past any failover it waits for. */
	private static final Duration PARTITION_BOUND = Duration.ofSeconds(60);

	/** The environment variable that makes partitions required rather than skipped where they cannot be made. */
	static final String REQUIRE_PARTITIONS = "HA_REDIS_REQUIRE_PARTITIONS";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class,
						HaRedisHealthContributorAutoConfiguration.class))
		.withBean(SwitchObservers.PurposeProbe.class)
		.withBean(SwitchObservers.class)
		.withPropertyValues("ha.redis.timeout=15s")
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("failover topology", Map.copyOf(topology().applicationProperties()))));

	/**
	 * Return the running topology, started once for the class.
	 * @return the topology
	 */
	protected abstract FailoverTopology<N> topology();

	@AfterEach
	void restore() {
		topology().restore();
	}

	@Test
	@Order(1)
	void writesLandOnThePromotedReplicaAfterAManualFailoverAndTheOldMasterIsDemoted() {
		this.runner.run((context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			try (Writer writer = new Writer(template, "manual")) {
				writer.awaitSuccessAfter(Instant.now(), RECOVERY);
				assertConnectedTo(context, topology().master());
				N demoted = topology().failover();
				N promoted = topology().awaitNewMaster(demoted, FAILOVER);
				assertWritesLandOn(promoted, writer, Instant.now());
				assertListenersHeardOnceTheOldMasterWasLeft(context, demoted);
				assertReplicates(demoted, promoted);
			}
			assertApplicationFollows(context.getBean(SentinelTopology.class), template, "manual");
		});
	}

	@Test
	@Order(2)
	void writesLandOnThePromotedReplicaAfterTheMasterIsKilledAndItReturnsAsAReplica() {
		this.runner.run((context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			N killed;
			N promoted;
			try (Writer writer = new Writer(template, "kill")) {
				writer.awaitSuccessAfter(Instant.now(), RECOVERY);
				assertConnectedTo(context, topology().master());
				killed = topology().killMaster();
				promoted = topology().awaitNewMaster(killed, FAILOVER);
				assertWritesLandOn(promoted, writer, Instant.now());
				assertListenersHeardOnceTheOldMasterWasLeft(context, killed);
			}
			SentinelTopology applicationTopology = context.getBean(SentinelTopology.class);
			assertApplicationFollows(applicationTopology, template, "kill");
			topology().restore();
			assertReplicates(killed, promoted);
			// The application lists the old master among the replicas again, online.
			await().atMost(FAILOVER).untilAsserted(() -> assertThat(applicationTopology.getSnapshot().replicas())
				.anySatisfy((replica) -> {
					assertThat(replica.address()).hasToString(topology().address(killed));
					assertThat(replica.isOnline()).isTrue();
				}));
		});
	}

	@Test
	@Order(3)
	void writesStopWaitingForAFrozenMasterOnceTheSentinelsPromoteAReplica() {
		this.runner.run((context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			N frozen;
			N promoted;
			try (Writer writer = new Writer(template, "freeze")) {
				writer.awaitSuccessAfter(Instant.now(), RECOVERY);
				Instant frozenAt = Instant.now();
				frozen = topology().freezeMaster();
				try {
					// Health says so while the sentinels have not moved on yet (down-after-milliseconds is 2 s).
					SentinelTopologyHealthIndicator health = context.getBean(SentinelTopologyHealthIndicator.class);
					await().atMost(Duration.ofSeconds(5))
						.untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.DOWN));
					promoted = topology().awaitNewMaster(frozen, FAILOVER);
					// Writes blocked on the frozen master are released by the switch, not by the 15 s command timeout.
					assertWritesLandOn(promoted, writer, Instant.now());
					assertThat(Duration.between(frozenAt, Instant.now())).isLessThan(Duration.ofSeconds(15));
				}
				finally {
					topology().unfreeze(frozen);
				}
			}
			assertApplicationFollows(context.getBean(SentinelTopology.class), template, "freeze");
			assertReplicates(frozen, promoted);
		});
	}

	@Test
	@Order(4)
	void writesLeaveAMasterCutOffFromTheSentinelsForThePromotedReplicaAndItRejoinsAsAReplicaOnceHealed() {
		assumePartitions();
		this.runner.run((context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			N isolated;
			N promoted;
			try (Writer writer = new Writer(template, "partition")) {
				writer.awaitSuccessAfter(Instant.now(), RECOVERY);
				isolated = topology().partitions().partitionMaster(PARTITION_BOUND);
				promoted = topology().awaitNewMaster(isolated, FAILOVER);
				// The isolated master still answers as master and still takes writes: the application leaves it
				// because the sentinels say so, not because it fails.
				assertThat(topology().role(isolated)).isEqualTo("master");
				assertWritesLandOn(promoted, writer, Instant.now());
				topology().partitions().heal();
			}
			assertReplicates(isolated, promoted);
			assertApplicationFollows(context.getBean(SentinelTopology.class), template, "partition");
		});
	}

	@Test
	@Order(5)
	void anApplicationCutOffWithTheMasterIsNotUpWithinSecondsAndFollowsThePromotedReplicaOnceHealed() {
		assumePartitions();
		this.runner.withPropertyValues("ha.redis.topology.refresh-interval=1s", "ha.redis.sentinel.timeout=1s")
			.run((context) -> {
				SentinelTopologyHealthIndicator health = context.getBean(SentinelTopologyHealthIndicator.class);
				await().atMost(RECOVERY).until(() -> health.health().getStatus().equals(Status.UP));
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				N isolated;
				N promoted;
				try (Writer writer = new Writer(template, "minority")) {
					writer.awaitSuccessAfter(Instant.now(), RECOVERY);
					isolated = topology().partitions().partitionMasterWithApplication(PARTITION_BOUND);
					// Refresh interval plus sentinel timeout, and what scheduling on a busy machine adds.
					await().atMost(Duration.ofSeconds(3))
						.pollInterval(Duration.ofMillis(20))
						.until(() -> !health.health().getStatus().equals(Status.UP));
					assertThat(health.health(true).getDetails().get("problems")).asString()
						.contains("sentinels reachable");
					promoted = topology().awaitNewMaster(isolated, FAILOVER);
					// Until it hears a sentinel again it writes to the old master, which it still reaches, and
					// those writes are lost when the old master rejoins as a replica (the fence, off here, refuses them).
					topology().partitions().heal();
					SentinelTopology applicationTopology = context.getBean(SentinelTopology.class);
					await().atMost(RECOVERY).untilAsserted(() -> assertThat(applicationTopology.getSnapshot().master())
						.hasToString(topology().address(promoted)));
					assertWritesLandOn(promoted, writer, Instant.now());
				}
				assertReplicates(isolated, promoted);
				assertApplicationFollows(context.getBean(SentinelTopology.class), template, "minority");
			});
	}

	/**
	 * Partitions need Linux, root and iptables: skipped with the reason where they cannot be made, unless
	 * {@value #REQUIRE_PARTITIONS} is {@code true} (as in CI), where the test fails with that reason instead.
	 */
	private void assumePartitions() {
		String reason = topology().partitions().unavailableReason();
		if (reason != null && !Boolean.parseBoolean(System.getenv(REQUIRE_PARTITIONS))) {
			Assumptions.abort("Skipped: " + reason + " (set " + REQUIRE_PARTITIONS + "=true to fail instead)");
		}
	}

	/**
	 * Assert that writes succeed within {@link #RECOVERY} of {@code switched}, that the last one is on
	 * {@code master}, which answers {@code ROLE} as master, and that none ever failed with {@code READONLY}.
	 */
	private void assertConnectedTo(AssertableApplicationContext context, N master) {
		assertThat(context.getBean(MasterRouting.class).openConnectionsTo(node(topology().address(master))))
			.as("connections to the master before the fault").isPositive();
	}

	/**
	 * An application TopologyListener and an @EventListener heard of the switch on the topology thread, once the
	 * connection layer had closed every connection of the factories to the old master and a listener of the
	 * purposes' order had heard of it.
	 */
	private void assertListenersHeardOnceTheOldMasterWasLeft(AssertableApplicationContext context, N oldMaster) {
		NodeAddress from = node(topology().address(oldMaster));
		List<SwitchObservers.Observation> seen = await().atMost(RECOVERY)
			.until(() -> context.getBean(SwitchObservers.class).observations(), (observed) -> observed.size() >= 2);
		assertThat(seen).extracting(SwitchObservers.Observation::listener)
			.containsExactly("@EventListener", "TopologyListener");
		assertThat(seen).allSatisfy((observation) -> {
			assertThat(observation.switched().from()).isEqualTo(from);
			assertThat(observation.thread()).isEqualTo("ha-redis-topology");
			assertThat(observation.connectionsToOldMaster()).as("connections still open to %s", from).isZero();
			assertThat(observation.purposesHeardFirst()).isTrue();
		});
	}

	private static NodeAddress node(String address) {
		int colon = address.lastIndexOf(':');
		return new NodeAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
	}

	private void assertWritesLandOn(N master, Writer writer, Instant switched) {
		long last = writer.awaitSuccessAfter(switched, RECOVERY);
		assertThat(topology().role(master)).isEqualTo("master");
		assertThat(topology().command(master, "GET", writer.key(last))).isEqualTo(Long.toString(last));
		assertThat(writer.errors()).noneMatch((error) -> error.contains("READONLY"));
	}

	/**
	 * Assert that a write made now, without retry, lands on the master the sentinels name, and that the
	 * application's topology names it too (at the address the application reaches it).
	 */
	private void assertApplicationFollows(SentinelTopology topology, StringRedisTemplate template, String scenario) {
		String key = "after-" + scenario;
		template.opsForValue().set(key, "yes");
		N master = topology().master();
		assertThat(topology().command(master, "GET", key)).isEqualTo("yes");
		assertThat(topology().role(master)).isEqualTo("master");
		assertThat(topology.getSnapshot().master()).hasToString(topology().address(master));
	}

	/**
	 * Wait until {@code replica} answers {@code ROLE} as a replica connected to {@code master}'s port. While the
	 * sentinels reconfigure a node they kill its client connections, so an error means "not yet".
	 */
	private void assertReplicates(N replica, N master) {
		List<?> config = (List<?>) Objects.requireNonNull(topology().command(master, "CONFIG", "GET", "port"));
		String masterPort = String.valueOf(config.get(1));
		await().atMost(FAILOVER).ignoreExceptions().untilAsserted(() -> {
			List<?> role = (List<?>) Objects.requireNonNull(topology().command(replica, "ROLE"));
			assertThat(role).extracting(String::valueOf).startsWith("slave").contains(masterPort, "connected");
		});
	}

	/**
	 * Writes {@code <prefix>:<n>} = {@code n} every 20 ms on a thread of its own, at most 10 000 times, and keeps
	 * every outcome.
	 */
	private static final class Writer implements AutoCloseable {

		private static final int MAX_WRITES = 10_000;

		private final StringRedisTemplate template;

		private final String prefix;

		private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

		private final AtomicLong next = new AtomicLong();

		private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

		Writer(StringRedisTemplate template, String prefix) {
			this.template = template;
			this.prefix = prefix;
			this.executor.scheduleWithFixedDelay(this::write, 0, 20, TimeUnit.MILLISECONDS);
		}

		String key(long index) {
			return this.prefix + ":" + index;
		}

		private void write() {
			long index = this.next.getAndIncrement();
			if (index >= MAX_WRITES) {
				this.executor.shutdown();
				return;
			}
			Instant started = Instant.now();
			try {
				this.template.opsForValue().set(key(index), Long.toString(index));
				this.outcomes.add(new Outcome(index, started, null));
			}
			catch (RuntimeException ex) {
				this.outcomes.add(new Outcome(index, started,
						String.valueOf(NestedExceptionUtils.getMostSpecificCause(ex).getMessage())));
			}
		}

		/**
		 * Wait until a write started at or after {@code since} has succeeded.
		 * @return the index of that write
		 */
		long awaitSuccessAfter(Instant since, Duration timeout) {
			return await().atMost(timeout)
				.until(() -> this.outcomes.stream()
					.filter((outcome) -> outcome.error() == null && !outcome.started().isBefore(since))
					.mapToLong(Outcome::index)
					.max(), (index) -> index.isPresent())
				.getAsLong();
		}

		List<String> errors() {
			return this.outcomes.stream().map(Outcome::error).filter(Objects::nonNull).toList();
		}

		@Override
		public void close() throws InterruptedException {
			this.executor.shutdownNow();
			assertThat(this.executor.awaitTermination(20, TimeUnit.SECONDS)).as("writer stopped").isTrue();
		}

	}

	private record Outcome(long index, Instant started, @Nullable String error) {
	}

}
