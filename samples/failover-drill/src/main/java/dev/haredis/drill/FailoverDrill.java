package dev.haredis.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.durability.DurableWrites;
import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;
import dev.haredis.test.RedisServerBinary;

/**
 * The failover drill: on one local master, replica and three sentinels ({@code down-after-milliseconds} 2000),
 * plain Spring Boot sentinel support and ha-redis (with and without the durable-write guard) run the same write
 * workload side by side while a fault is injected; then every acknowledged write is looked up on the final master.
 * <p>
 * Run: {@code java -jar samples/failover-drill/target/failover-drill-0.1.0-SNAPSHOT.jar --rounds=3}
 * ({@code --scenarios=kill,manual,freeze}, {@code --report=path}); {@code --queue} runs the {@link QueueBenchmark},
 * {@code --throughput} the {@link ThroughputComparison} (one JVM per variant, with and without actuator).
 */
public final class FailoverDrill {

	private static final Duration AFTER_SWITCH = Duration.ofSeconds(12);

	private static final Duration FROZEN = Duration.ofSeconds(20);

	private static final Duration AFTER_UNFREEZE = Duration.ofSeconds(10);

	private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(40);

	private final LocalSentinelTopology topology;

	private final Map<String, Consumer<String>> clients = new LinkedHashMap<>();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	static final int THROUGHPUT_THREADS = 4;

	static final int THROUGHPUT_RUNS = 7;

	static final Duration THROUGHPUT_RUN = Duration.ofSeconds(3);

	static final Duration THROUGHPUT_WARM_UP = Duration.ofSeconds(2);

	private FailoverDrill(LocalSentinelTopology topology) {
		this.topology = topology;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		if (Arrays.asList(args).contains("--queue")) {
			QueueBenchmark.main(options);
			System.exit(0);
		}
		if (Arrays.asList(args).contains("--throughput")) {
			ThroughputComparison.main(options);
			System.exit(0);
		}
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
		List<String> scenarios = Arrays.stream(options.getOrDefault("scenarios", "kill,manual,freeze").split(","))
			.filter((scenario) -> !scenario.isBlank())
			.toList();
		Path report = Path.of(options.getOrDefault("report", "samples/failover-drill/target/drill-report.md"));
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().start()) {
			Runtime.getRuntime().addShutdownHook(new Thread(topology::close));
			FailoverDrill drill = new FailoverDrill(topology);
			try {
				drill.run(rounds, scenarios, report);
			}
			finally {
				drill.contexts.forEach(ConfigurableApplicationContext::close);
			}
		}
		System.exit(0);
	}

	private void run(int rounds, List<String> scenarios, Path report) throws Exception {
		ConfigurableApplicationContext boot = start("spring.data.redis.sentinel.master=" + this.topology.masterName(),
				"spring.data.redis.sentinel.nodes=" + this.topology.sentinelNodes(), "ha.redis.enabled=false");
		ConfigurableApplicationContext haRedis = start("ha.redis.sentinel.master=" + this.topology.masterName(),
				"ha.redis.sentinel.nodes=" + this.topology.sentinelNodes());
		StringRedisTemplate bootRedis = boot.getBean(StringRedisTemplate.class);
		StringRedisTemplate haRedisRedis = haRedis.getBean(StringRedisTemplate.class);
		DurableWrites durable = haRedis.getBean(DurableWrites.class);
		this.clients.put("spring-boot", (key) -> bootRedis.opsForValue().set(key, "1"));
		this.clients.put("ha-redis", (key) -> haRedisRedis.opsForValue().set(key, "1"));
		this.clients.put("ha-redis+durable", (key) -> durable.execute((operations) -> {
			operations.opsForValue().set(key, "1");
			return null;
		}));
		List<RoundResult> results = new ArrayList<>();
		try (SentinelEventClock clock = new SentinelEventClock(this.topology.sentinelAddresses())) {
			for (String scenario : scenarios) {
				for (int round = 1; round <= rounds; round++) {
					awaitClientsWriting();
					results.addAll(round(scenario, round, clock));
					this.topology.restore();
				}
			}
		}
		awaitClientsWriting();
		Map<String, List<Double>> throughput = throughput(Map.of("spring-boot", bootRedis, "ha-redis", haRedisRedis));
		double[] health = healthLatency(haRedis.getBean(SentinelTopologyHealthIndicator.class));
		String markdown = new DrillReport(RedisServerBinary.locate().version(), results, throughput, health).markdown();
		System.out.println(markdown);
		Files.createDirectories(report.toAbsolutePath().getParent());
		Files.writeString(report, markdown);
		System.out.println("Report written to " + report.toAbsolutePath());
	}

	private ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("logging.level.root=WARN");
		all.add("spring.main.register-shutdown-hook=false");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DrillApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(all.toArray(String[]::new))
			.run();
		this.contexts.add(context);
		return context;
	}

	private List<RoundResult> round(String scenario, int round, SentinelEventClock clock) throws Exception {
		Map<String, Writer> writers = new LinkedHashMap<>();
		this.clients.forEach((name, client) -> writers.put(name, new Writer(name,
				(sequence) -> client.accept(key(scenario, round, name, sequence)))));
		pause(Duration.ofSeconds(2));
		clock.reset();
		long fault = System.nanoTime();
		RedisProcess frozen = null;
		switch (scenario) {
			case "kill" -> this.topology.killMaster();
			case "manual" -> this.topology.failover();
			case "freeze" -> {
				frozen = this.topology.master();
				frozen.freeze();
			}
			default -> throw new IllegalArgumentException("Unknown scenario '" + scenario + "'");
		}
		long switched = awaitSwitch(clock, fault);
		long end;
		if (frozen != null) {
			pauseUntil(fault + FROZEN.toNanos());
			frozen.unfreeze();
			end = System.nanoTime() + AFTER_UNFREEZE.toNanos();
		}
		else {
			end = switched + AFTER_SWITCH.toNanos();
		}
		pauseUntil(end);
		for (Writer writer : writers.values()) {
			writer.close();
		}
		pause(Duration.ofSeconds(1));
		RedisProcess finalMaster = this.topology.master();
		List<RoundResult> results = new ArrayList<>();
		for (Map.Entry<String, Writer> entry : writers.entrySet()) {
			List<WriteOutcome> outcomes = entry.getValue().outcomes();
			Set<Long> present = presentOn(finalMaster, scenario, round, entry.getKey(), outcomes);
			RoundResult result = RoundResult.of(scenario, round, entry.getKey(), outcomes, present, fault, switched, end);
			System.out.println(result);
			results.add(result);
		}
		return results;
	}

	private static long awaitSwitch(SentinelEventClock clock, long fault) {
		long deadline = fault + SWITCH_TIMEOUT.toNanos();
		while (clock.switchedAt() == 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The sentinels did not fail over within " + SWITCH_TIMEOUT);
			}
			pause(Duration.ofMillis(1));
		}
		return clock.switchedAt();
	}

	private static Set<Long> presentOn(RedisProcess master, String scenario, int round, String client,
			List<WriteOutcome> outcomes) {
		List<Long> acknowledged = outcomes.stream()
			.filter(WriteOutcome::acknowledged)
			.map(WriteOutcome::sequence)
			.toList();
		Set<Long> present = new HashSet<>();
		for (int from = 0; from < acknowledged.size(); from += 500) {
			List<Long> batch = acknowledged.subList(from, Math.min(acknowledged.size(), from + 500));
			List<String> command = new ArrayList<>(List.of("MGET"));
			batch.forEach((sequence) -> command.add(key(scenario, round, client, sequence)));
			List<?> values = (List<?>) master.command(command.toArray(String[]::new));
			for (int i = 0; i < batch.size(); i++) {
				if (values.get(i) != null) {
					present.add(batch.get(i));
				}
			}
		}
		return present;
	}

	private void awaitClientsWriting() {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		for (Map.Entry<String, Consumer<String>> client : this.clients.entrySet()) {
			while (true) {
				try {
					client.getValue().accept("drill:probe:" + client.getKey());
					break;
				}
				catch (RuntimeException ex) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(client.getKey() + " cannot write after the restore", ex);
					}
					pause(Duration.ofMillis(100));
				}
			}
		}
	}

	private static Map<String, List<Double>> throughput(Map<String, StringRedisTemplate> templates)
			throws Exception {
		List<String> clients = List.of("spring-boot", "ha-redis");
		for (String name : clients) {
			opsPerSecond(templates.get(name), name, THROUGHPUT_WARM_UP);
		}
		Map<String, List<Double>> samples = new LinkedHashMap<>();
		for (int run = 0; run < THROUGHPUT_RUNS; run++) {
			// Alternate which client goes first, so that a drift of the machine does not favour one of them.
			List<String> order = (run % 2 == 0) ? clients : List.of(clients.get(1), clients.get(0));
			for (String name : order) {
				samples.computeIfAbsent(name, (key) -> new ArrayList<>())
					.add(opsPerSecond(templates.get(name), name, THROUGHPUT_RUN));
			}
		}
		System.out.println("Throughput samples (ops/s): " + samples);
		return samples;
	}

	private static double opsPerSecond(StringRedisTemplate template, String name, Duration duration)
			throws InterruptedException {
		AtomicLong operations = new AtomicLong();
		long deadline = System.nanoTime() + duration.toNanos();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < THROUGHPUT_THREADS; i++) {
			int worker = i;
			Thread thread = new Thread(() -> {
				for (long n = 0; System.nanoTime() < deadline; n++) {
					template.opsForValue().set("drill:throughput:" + name + ":" + worker + ":" + (n % 1000), "v");
					operations.incrementAndGet();
				}
			});
			threads.add(thread);
			thread.start();
		}
		for (Thread thread : threads) {
			thread.join(duration.plusSeconds(30).toMillis());
		}
		return operations.get() / (duration.toMillis() / 1000.0);
	}

	private static double[] healthLatency(SentinelTopologyHealthIndicator indicator) {
		for (int i = 0; i < 20_000; i++) {
			indicator.health();
		}
		long[] nanos = new long[100_000];
		for (int i = 0; i < nanos.length; i++) {
			long start = System.nanoTime();
			indicator.health();
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		return new double[] { nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6,
				nanos[nanos.length - 1] / 1e6 };
	}

	private static String key(String scenario, int round, String client, long sequence) {
		return "drill:" + scenario + ":" + round + ":" + client + ":" + sequence;
	}

	private static void pauseUntil(long nanos) {
		long remaining = nanos - System.nanoTime();
		if (remaining > 0) {
			pause(Duration.ofNanos(remaining));
		}
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, String> options(String[] args) {
		return Arrays.stream(args)
			.filter((arg) -> arg.startsWith("--") && arg.contains("="))
			.collect(Collectors.toMap((arg) -> arg.substring(2, arg.indexOf('=')).toLowerCase(Locale.ROOT),
					(arg) -> arg.substring(arg.indexOf('=') + 1)));
	}

}
