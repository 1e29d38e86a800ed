package dev.haredis.drill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.connection.stream.StringRecord;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.queue.TaskContext;
import dev.haredis.queue.TaskListener;
import dev.haredis.queue.TaskQueueOperations;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;

/**
 * Measures the task queue on a local master, two replicas and three sentinels, side by side with a hand-written
 * {@code XADD} / {@code XREADGROUP} / {@code XACK} loop on the same Redis in the same run: enqueue throughput, and
 * end-to-end throughput with producers and workers running together. Then a failover drill: tasks enqueued (durably
 * and not) while the master is killed, and which of the acknowledged ones were processed.
 * <p>
 * Run: {@code java -jar samples/failover-drill/target/failover-drill-0.1.0-SNAPSHOT.jar --queue}
 * ({@code --runs=3}, {@code --producers=4}, {@code --report=path}; for profiling one variant:
 * {@code --variants=HA_REDIS --drill=false}).
 */
public final class QueueBenchmark {

	/** Producer threads unless {@code --producers} says otherwise. */
	static final int DEFAULT_PRODUCERS = 4;

	static final int WORKERS = 4;

	static final int BATCH = 50;

	/** Tasks per call of the bulk variants. */
	static final int BULK = 50;

	static final Duration RUN = Duration.ofSeconds(5);

	static final LongAdder processed = new LongAdder();

	static final Set<String> processedIds = ConcurrentHashMap.newKeySet();

	private final LocalSentinelTopology topology;

	private final List<Variant> variants;

	private final boolean drill;

	private final int producers;

	private QueueBenchmark(LocalSentinelTopology topology, List<Variant> variants, boolean drill, int producers) {
		this.topology = topology;
		this.variants = variants;
		this.drill = drill;
		this.producers = producers;
	}

	static void main(Map<String, String> options) throws Exception {
		int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
		int warmups = Integer.parseInt(options.getOrDefault("warmups", "3"));
		List<Variant> variants = Arrays.stream(options.getOrDefault("variants", String.join(",",
				Arrays.stream(Variant.values()).map(Enum::name).toList()))
			.split(",")).map(String::strip).map(Variant::valueOf).toList();
		boolean drill = Boolean.parseBoolean(options.getOrDefault("drill", "true"));
		int producers = Integer.parseInt(options.getOrDefault("producers", Integer.toString(DEFAULT_PRODUCERS)));
		Path report = Path.of(options.getOrDefault("report", "samples/failover-drill/target/queue-report.md"));
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().replicas(2).start()) {
			Runtime.getRuntime().addShutdownHook(new Thread(topology::close));
			String markdown = new QueueBenchmark(topology, variants, drill, producers).run(warmups, runs);
			System.out.println(markdown);
			Files.createDirectories(report.toAbsolutePath().getParent());
			Files.writeString(report, markdown);
			System.out.println("Report written to " + report.toAbsolutePath());
		}
	}

	private String run(int warmups, int runs) throws Exception {
		Map<String, List<Double>> enqueue = new LinkedHashMap<>();
		Map<String, List<Double>> endToEnd = new LinkedHashMap<>();
		// Rounds to warm the JIT up, not counted: with a single one, ha-redis's longer code path (Spring Data Redis,
		// Jackson, Micrometer) was still being compiled during the first measured runs.
		for (int warmup = 0; warmup < warmups; warmup++) {
			for (Variant variant : this.variants) {
				this.topology.master().command("FLUSHALL");
				try (ConfigurableApplicationContext context = start(variant)) {
					endToEndRate(context, variant);
				}
			}
		}
		for (int run = 0; run < runs; run++) {
			for (Variant variant : this.variants) {
				this.topology.master().command("FLUSHALL");
				try (ConfigurableApplicationContext context = start(variant)) {
					enqueue.computeIfAbsent(variant.label, (key) -> new ArrayList<>()).add(enqueueRate(context, variant));
				}
				this.topology.master().command("FLUSHALL");
				try (ConfigurableApplicationContext context = start(variant)) {
					endToEnd.computeIfAbsent(variant.label, (key) -> new ArrayList<>()).add(endToEndRate(context, variant));
				}
			}
			System.out.println("Run " + (run + 1) + ": enqueue " + enqueue + ", end to end " + endToEnd);
		}
		StringBuilder out = new StringBuilder();
		out.append("Redis: `").append(this.topology.master().command("INFO", "server").toString().lines()
			.filter((line) -> line.startsWith("redis_version")).findFirst().orElse("?")).append("`, cores: ")
			.append(Runtime.getRuntime().availableProcessors()).append(String.format(Locale.ROOT,
					", %d producer threads, %d workers, batch %d, %d s per measurement, %d runs after %d warm-up rounds%n%n",
					this.producers, WORKERS, BATCH, RUN.toSeconds(), runs, warmups));
		out.append("| implementation | enqueue (tasks/s, median) | ratio | end to end (tasks/s, median) | ratio |\n");
		out.append("|---|---:|---:|---:|---:|\n");
		for (Variant variant : this.variants) {
			double e = DrillReport.median(enqueue.get(variant.label));
			double t = DrillReport.median(endToEnd.get(variant.label));
			// Each variant against its own hand-written loop (one task per call, or pipelined bulk).
			List<Double> baseEnqueue = enqueue.get(variant.baseline().label);
			List<Double> baseEndToEnd = endToEnd.get(variant.baseline().label);
			String enqueueRatio = (baseEnqueue != null)
					? String.format(Locale.ROOT, "%.2f", e / DrillReport.median(baseEnqueue)) : "";
			String endToEndRatio = (baseEndToEnd != null)
					? String.format(Locale.ROOT, "%.2f", t / DrillReport.median(baseEndToEnd)) : "";
			out.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %.0f | %s |%n", variant.label, e, enqueueRatio,
					t, endToEndRatio));
		}
		out.append("\nSamples: enqueue ").append(enqueue).append("; end to end ").append(endToEnd).append("\n\n");
		if (this.drill) {
			out.append(failoverDrill());
		}
		return out.toString();
	}

	private double enqueueRate(ConfigurableApplicationContext context, Variant variant) throws InterruptedException {
		Producer producer = producer(context, variant, "bench");
		return parallel(this.producers, RUN, producer) / (double) RUN.toSeconds();
	}

	private double endToEndRate(ConfigurableApplicationContext context, Variant variant) throws InterruptedException {
		Producer producer = producer(context, variant, "e2e");
		List<Thread> workers = new ArrayList<>();
		long[] deadline = { System.nanoTime() + RUN.toNanos() + Duration.ofSeconds(1).toNanos() };
		if (variant.baseline == null) {
			RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			try {
				redis.opsForStream().createGroup("hand:e2e", ReadOffset.from("0"), "workers");
			}
			catch (RuntimeException ex) {
				redis.opsForStream().add("hand:e2e", Map.of("init", "1"));
				redis.opsForStream().createGroup("hand:e2e", ReadOffset.from("0"), "workers");
			}
			for (int i = 0; i < WORKERS; i++) {
				String consumer = "w" + i;
				Thread thread = new Thread(() -> handWrittenWorker(factory, consumer, deadline));
				workers.add(thread);
				thread.start();
			}
		}
		// Let the workers settle on their first blocking read before counting.
		Thread.sleep(500);
		long before = processed.sum();
		long start = System.nanoTime();
		parallel(this.producers, RUN, producer);
		long done = processed.sum() - before;
		double seconds = (System.nanoTime() - start) / 1e9;
		deadline[0] = System.nanoTime();
		for (Thread worker : workers) {
			worker.join(Duration.ofSeconds(5).toMillis());
		}
		return done / seconds;
	}

	private static void handWrittenWorker(RedisConnectionFactory factory, String consumer, long[] deadline) {
		try (StringRedisConnection connection = new DefaultStringRedisConnection(factory.getConnection())) {
			while (System.nanoTime() < deadline[0]) {
				List<StringRecord> records = connection.xReadGroupAsString(Consumer.from("workers", consumer),
						StreamReadOptions.empty().count(BATCH).block(Duration.ofMillis(100)),
						StreamOffset.create("hand:e2e", ReadOffset.lastConsumed()));
				if (records == null || records.isEmpty()) {
					continue;
				}
				for (StringRecord record : records) {
					processed.increment();
				}
				// One XACK for the batch, as a careful hand-written worker would (one per entry halves its rate).
				connection.xAck("hand:e2e", "workers", records.stream().map(StringRecord::getId).toArray(RecordId[]::new));
			}
		}
	}

	private static long parallel(int threads, Duration duration, Producer action) throws InterruptedException {
		AtomicLong count = new AtomicLong();
		long deadline = System.nanoTime() + duration.toNanos();
		List<Thread> started = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Thread thread = new Thread(() -> {
				while (System.nanoTime() < deadline) {
					count.addAndGet(action.enqueue());
				}
			});
			started.add(thread);
			thread.start();
		}
		for (Thread thread : started) {
			thread.join(duration.plusSeconds(30).toMillis());
		}
		return count.get();
	}

	private static Producer producer(ConfigurableApplicationContext context, Variant variant, String queue) {
		AtomicLong n = new AtomicLong();
		if (variant.baseline == null) {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			String stream = "hand:" + queue;
			if (!variant.bulk) {
				return () -> {
					redis.opsForStream().add(stream, Map.of("payload", "{\"n\":" + n.incrementAndGet() + "}"));
					return 1;
				};
			}
			return () -> {
				redis.executePipelined((RedisCallback<Object>) (connection) -> {
					StringRedisConnection strings = new DefaultStringRedisConnection(connection);
					for (int i = 0; i < BULK; i++) {
						strings.xAdd(StreamRecords.newRecord().in(stream)
							.ofStrings(Map.of("payload", "{\"n\":" + n.incrementAndGet() + "}")));
					}
					return null;
				});
				return BULK;
			};
		}
		TaskQueueOperations tasks = context.getBean(TaskQueueOperations.class);
		if (!variant.bulk) {
			return () -> {
				tasks.enqueue(queue, new Job(n.incrementAndGet()));
				return 1;
			};
		}
		return () -> {
			List<Job> jobs = new ArrayList<>(BULK);
			for (int i = 0; i < BULK; i++) {
				jobs.add(new Job(n.incrementAndGet()));
			}
			tasks.enqueueAll(queue, jobs);
			return BULK;
		};
	}

	/**
	 * Tasks enqueued while the master is killed: which acknowledged ones were processed.
	 */
	private String failoverDrill() throws Exception {
		StringBuilder out = new StringBuilder("Failover drill: ");
		out.append("an enqueue every 2 ms for 12 s (plain and durable, `WAIT 1 1000`, alternating), `kill -9` of the "
				+ "master after 3 s, then up to 30 s for the workers to process what was acknowledged.\n\n");
		out.append("| enqueue | acknowledged | failed (error to the caller) | processed | acknowledged but never processed |\n");
		out.append("|---|---:|---:|---:|---:|\n");
		this.topology.master().command("FLUSHALL");
		processedIds.clear();
		try (ConfigurableApplicationContext context = start(Variant.HA_REDIS)) {
			TaskQueueOperations tasks = context.getBean(TaskQueueOperations.class);
			Set<String> plain = ConcurrentHashMap.newKeySet();
			Set<String> durable = ConcurrentHashMap.newKeySet();
			LongAdder plainFailed = new LongAdder();
			LongAdder durableFailed = new LongAdder();
			long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
			Thread faults = new Thread(() -> {
				pause(Duration.ofSeconds(3));
				RedisProcess killed = this.topology.killMaster();
				System.out.println("Killed the master " + killed.address());
			});
			faults.start();
			for (long n = 0; System.nanoTime() < end; n++) {
				boolean isDurable = (n % 2 == 1);
				try {
					if (isDurable) {
						durable.add(tasks.enqueueDurably("drill", new Job(n)));
					}
					else {
						plain.add(tasks.enqueue("drill", new Job(n)));
					}
				}
				catch (RuntimeException ex) {
					(isDurable ? durableFailed : plainFailed).increment();
				}
				pause(Duration.ofMillis(2));
			}
			faults.join();
			long wait = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (System.nanoTime() < wait && !(processedIds.containsAll(plain) && processedIds.containsAll(durable))) {
				pause(Duration.ofMillis(200));
			}
			out.append(row("plain `enqueue`", plain, plainFailed.sum()));
			out.append(row("`enqueueDurably`", durable, durableFailed.sum()));
		}
		this.topology.restore();
		return out.toString();
	}

	private static String row(String label, Set<String> acknowledged, long failed) {
		long processedCount = acknowledged.stream().filter(processedIds::contains).count();
		return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", label, acknowledged.size(), failed,
				processedCount, acknowledged.size() - processedCount);
	}

	private ConfigurableApplicationContext start(Variant variant) {
		List<String> properties = new ArrayList<>(List.of("ha.redis.sentinel.master=" + this.topology.masterName(),
				"ha.redis.sentinel.nodes=" + this.topology.sentinelNodes(), "logging.level.root=WARN",
				"spring.main.register-shutdown-hook=false", "ha.redis.queue.concurrency=" + WORKERS,
				"ha.redis.queue.batch-size=" + BATCH, "ha.redis.queue.block-timeout=100ms",
				"ha.redis.timeout=5s"));
		properties.addAll(variant.properties);
		return new SpringApplicationBuilder(BenchApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What is measured.
	 */
	enum Variant {

		HAND_WRITTEN("hand-written XADD/XREADGROUP/XACK", null, false, List.of("ha.redis.queue.enabled=false")),

		HA_REDIS("ha-redis TaskQueueOperations.enqueue (no results, the default)", HAND_WRITTEN, false, List.of()),

		HA_REDIS_RESULTS("ha-redis TaskQueueOperations.enqueue (results kept, result-ttl=1d)", HAND_WRITTEN, false,
				List.of("ha.redis.queue.result-ttl=1d")),

		HAND_WRITTEN_BULK("hand-written, " + BULK + " XADDs pipelined", null, true,
				List.of("ha.redis.queue.enabled=false")),

		HA_REDIS_BULK("ha-redis TaskQueueOperations.enqueueAll of " + BULK + " (no results)", HAND_WRITTEN_BULK, true,
				List.of());

		final String label;

		/** The hand-written loop this variant is compared with; {@code null} for a hand-written one. */
		final @Nullable Variant baseline;

		final boolean bulk;

		final List<String> properties;

		Variant(String label, @Nullable Variant baseline, boolean bulk, List<String> properties) {
			this.label = label;
			this.baseline = baseline;
			this.bulk = bulk;
			this.properties = properties;
		}

		Variant baseline() {
			return (this.baseline != null) ? this.baseline : this;
		}

	}

	@FunctionalInterface
	interface Producer {

		/**
		 * Enqueue tasks.
		 * @return how many
		 */
		int enqueue();

	}

	/**
	 * A small payload.
	 *
	 * @param n a sequence number
	 */
	public record Job(long n) {

	}

	/**
	 * Counts what the workers process.
	 */
	public static class Jobs {

		@TaskListener(queue = "e2e")
		public void e2e(Job job) {
			processed.increment();
		}

		@TaskListener(queue = "drill")
		public void drill(Job job, TaskContext context) {
			processedIds.add(context.taskId());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(DrillApplication.class)
	static class BenchApplication {

		@Bean
		Jobs jobs() {
			return new Jobs();
		}

	}

}
