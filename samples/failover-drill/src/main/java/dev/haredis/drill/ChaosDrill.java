package dev.haredis.drill;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.durability.DurableWrites;
import dev.haredis.drill.chaos.ChaosBounds;
import dev.haredis.drill.chaos.ChaosChecker;
import dev.haredis.drill.chaos.ChaosHistory.Fault;
import dev.haredis.drill.chaos.ChaosHistory.FaultKind;
import dev.haredis.drill.chaos.ChaosHistory.Resources;
import dev.haredis.drill.chaos.ChaosHistory.WriteKind;
import dev.haredis.drill.chaos.ChaosRecorder;
import dev.haredis.drill.chaos.FaultSchedule;
import dev.haredis.drill.chaos.FaultSchedule.ScheduledFault;
import dev.haredis.drill.chaos.Verdict;
import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.internal.RedisErrors;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.topology.TopologyListener;

/**
 * The chaos mode of the drill (issue 21, first cut): the real auto-configuration against a local master, two
 * replicas and three sentinels, plain writes every 10 ms and durable writes every 100 ms, health sampled every
 * 100 ms, while faults drawn from a seed come and go; then everything is healed, the writes are looked up on the
 * final master and the {@link ChaosChecker} judges the run. Run:
 * {@code java -jar samples/failover-drill/target/failover-drill-0.1.0-SNAPSHOT.jar --chaos --duration=3m --seed=42}.
 * Not yet in it: task queue, pub/sub and cache workloads, partitions, latency, a restarted application, the
 * picture.
 */
final class ChaosDrill {

	private static final Set<FaultKind> KINDS = EnumSet.of(FaultKind.KILL_MASTER, FaultKind.FREEZE_MASTER,
			FaultKind.MANUAL_FAILOVER, FaultKind.RESTART_SENTINEL, FaultKind.RESTART_ALL_SENTINELS,
			FaultKind.KILL_REPLICA, FaultKind.KILL_CLIENTS);

	private static final Duration SETTLE = Duration.ofSeconds(20);

	/**
	 * How long the workload runs before the resources' baseline is taken; the first fault comes later (the
	 * schedule's least gap).
	 */
	private static final Duration WARM_UP = Duration.ofSeconds(3);

	/**
	 * What docs/failover.md says each fault may lose of plain writes (at 100 writes/s: the few the replicas had not
	 * received; a manual failover 5 at most), and what health may lag (refresh interval plus sentinel timeout).
	 */
	private static final ChaosBounds BOUNDS = new ChaosBounds(3_000, 100, SETTLE.toMillis(),
			Map.of(FaultKind.KILL_MASTER, 10L, FaultKind.FREEZE_MASTER, 5L, FaultKind.MANUAL_FAILOVER, 5L), 10, 3,
			2.0);

	private ChaosDrill() {
	}

	static boolean main(Map<String, String> options) throws Exception {
		Duration length = Duration.parse("PT" + options.getOrDefault("duration", "3m").toUpperCase());
		long seed = Long.parseLong(options.getOrDefault("seed", Long.toString(ThreadLocalRandom.current().nextLong())));
		FaultSchedule schedule = FaultSchedule.draw(seed, length, SETTLE, Duration.ofSeconds(6),
				Duration.ofSeconds(14), KINDS);
		System.out.println("Chaos run of " + length.toSeconds() + " s, " + schedule.describe());
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().replicas(2).start()) {
			Runtime.getRuntime().addShutdownHook(new Thread(topology::close));
			long origin = System.nanoTime();
			ChaosRecorder recorder = new ChaosRecorder(() -> (System.nanoTime() - origin) / 1_000_000);
			ConfigurableApplicationContext app = start(topology, recorder);
			try {
				List<Verdict> verdicts = run(topology, app, recorder, schedule, length);
				verdicts.forEach(System.out::println);
				boolean passed = verdicts.stream().allMatch(Verdict::passed);
				System.out.println((passed ? "PASSED" : "FAILED") + " (seed " + seed + "; replay with --seed=" + seed
						+ " --duration=" + options.getOrDefault("duration", "3m") + ")");
				return passed;
			}
			finally {
				app.close();
			}
		}
	}

	private static List<Verdict> run(LocalSentinelTopology topology, ConfigurableApplicationContext app,
			ChaosRecorder recorder, FaultSchedule schedule, Duration length) throws Exception {
		StringRedisTemplate redis = app.getBean(StringRedisTemplate.class);
		DurableWrites durable = app.getBean("durableWrites", DurableWrites.class);
		SentinelTopologyHealthIndicator health = app.getBean(SentinelTopologyHealthIndicator.class);
		long end = length.toMillis();
		ExecutorService workload = Executors.newFixedThreadPool(3);
		ExecutorService faults = Executors.newCachedThreadPool();
		AtomicLong sequence = new AtomicLong();
		Resources start;
		try {
			workload.execute(() -> every(recorder, end, 10,
					() -> write(recorder, "chaos:p:" + sequence.incrementAndGet(), WriteKind.PLAIN,
							(key) -> redis.opsForValue().set(key, "1"))));
			workload.execute(() -> every(recorder, end, 100,
					() -> write(recorder, "chaos:d:" + sequence.incrementAndGet(), WriteKind.DURABLE,
							(key) -> durable.execute((operations) -> {
								operations.opsForValue().set(key, "1");
								return null;
							}))));
			workload.execute(() -> every(recorder, end, 100,
					() -> recorder.health(health.health(false).getStatus().getCode())));
			// The baseline once the workload runs (connections open on first use), before the first fault.
			sleepUntil(recorder, WARM_UP.toMillis());
			start = resources(topology);
			List<ScheduledFault> scheduled = schedule.faults();
			for (int i = 0; i < scheduled.size(); i++) {
				ScheduledFault fault = scheduled.get(i);
				sleepUntil(recorder, fault.startMillis());
				int index = i;
				faults.execute(() -> inject(topology, recorder, fault, index));
			}
			sleepUntil(recorder, end);
		}
		finally {
			workload.shutdown();
			workload.awaitTermination(30, TimeUnit.SECONDS);
			faults.shutdown();
			faults.awaitTermination(60, TimeUnit.SECONDS);
		}
		topology.restore();
		System.out.println("Healed at " + recorder.now() / 1000 + " s; " + recorder.acknowledgedWrites()
				+ " writes acknowledged; looking them up on the final master");
		Set<String> found = found(redis, recorder.writtenKeys());
		return new ChaosChecker(BOUNDS).check(recorder.history(found, start, resources(topology)));
	}

	private static void inject(LocalSentinelTopology topology, ChaosRecorder recorder, ScheduledFault fault,
			int index) {
		long start = recorder.now();
		Runnable heal;
		try {
			heal = new ChaosFaults(topology).cause(fault, index);
		}
		catch (RuntimeException ex) {
			System.out.println("  skipped " + fault.kind() + " at " + start / 1000 + " s: " + RedisErrors.describe(ex));
			return;
		}
		if (heal == null) {
			System.out.println("  skipped " + fault.kind() + " at " + start / 1000 + " s");
			return;
		}
		pause(fault.lastsMillis());
		try {
			heal.run();
		}
		finally {
			recorder.fault(new Fault(fault.kind(), start, recorder.now()));
			System.out.println("  " + fault.kind() + " " + start / 1000 + "-" + recorder.now() / 1000 + " s");
		}
	}

	private static void write(ChaosRecorder recorder, String key, WriteKind kind,
			Consumer<String> write) {
		recorder.started();
		try {
			write.accept(key);
			recorder.wrote(key, kind, true, null);
		}
		catch (RuntimeException ex) {
			recorder.wrote(key, kind, false, RedisErrors.describe(ex));
		}
		finally {
			recorder.completed();
		}
	}

	/**
	 * Run a step every period until the run's end; bounded by the run's length.
	 */
	private static void every(ChaosRecorder recorder, long end, long periodMillis, Runnable step) {
		long next = recorder.now();
		while (recorder.now() < end && !Thread.currentThread().isInterrupted()) {
			try {
				step.run();
			}
			catch (RuntimeException ex) {
				// A health read failed: the next sample tells.
			}
			next += periodMillis;
			pause(next - recorder.now());
		}
	}

	private static Set<String> found(StringRedisTemplate redis, List<String> keys) {
		Set<String> found = new HashSet<>();
		for (int from = 0; from < keys.size(); from += 1_000) {
			List<String> batch = keys.subList(from, Math.min(keys.size(), from + 1_000));
			List<String> values = redis.opsForValue().multiGet(batch);
			for (int i = 0; i < batch.size(); i++) {
				if (values != null && values.get(i) != null) {
					found.add(batch.get(i));
				}
			}
		}
		return found;
	}

	private static Resources resources(LocalSentinelTopology topology) {
		System.gc();
		Map<String, Integer> connections = new HashMap<>();
		for (RedisProcess server : topology.servers()) {
			if (server.isAlive()) {
				String clients = String.valueOf(server.command("CLIENT", "LIST"));
				connections.put(server.address(), (int) clients.lines().filter((line) -> line.contains("name=chaos-app")).count());
			}
		}
		return new Resources(ManagementFactory.getThreadMXBean().getThreadCount(), connections,
				ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
	}

	private static ConfigurableApplicationContext start(LocalSentinelTopology topology, ChaosRecorder recorder) {
		List<String> properties = new ArrayList<>(List.of("ha.redis.sentinel.master=" + topology.masterName(),
				"ha.redis.sentinel.nodes=" + topology.sentinelNodes(), "ha.redis.client-name=chaos-app",
				"ha.redis.timeout=5s", "logging.level.root=WARN", "spring.main.register-shutdown-hook=false"));
		TopologyListener switches = (event) -> {
			if (event instanceof MasterSwitchedEvent) {
				recorder.verifiedSwitch();
			}
		};
		return new SpringApplicationBuilder(DrillApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(properties.toArray(String[]::new))
			.initializers((context) -> context.getBeanFactory().registerSingleton("chaosSwitches", switches))
			.run();
	}

	private static void sleepUntil(ChaosRecorder recorder, long at) {
		pause(at - recorder.now());
	}

	private static void pause(long millis) {
		if (millis <= 0) {
			return;
		}
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
