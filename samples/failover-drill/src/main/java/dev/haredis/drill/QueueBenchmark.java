package dev.haredis.drill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;

import dev.haredis.test.LocalSentinelTopology;

/**
 * Measures the task queue on a local master, two replicas and three sentinels, side by side with a hand-written
 * {@code XADD} / {@code XREADGROUP} / {@code XACK} loop on the same Redis in the same run: enqueue throughput, and
 * end-to-end throughput with producers and workers running together. Then a failover drill: tasks enqueued (durably
 * and not) while the master is killed, and which of the acknowledged ones were processed.
 * <p>
 * Run: {@code java -jar samples/failover-drill/target/failover-drill-0.1.0-SNAPSHOT.jar --queue}
 * ({@code --runs=3}, {@code --producers=4}, {@code --report=path}; for profiling one variant:
 * {@code --variants=HA_REDIS --drill=false}).
 * <p>
 * This class reads the options and takes the variants through the warm-up rounds and runs; {@link QueueThroughput}
 * measures, {@link QueueReport} writes the Markdown and {@link QueueFailoverDrill} adds the drill.
 */
public final class QueueBenchmark {

	/** Producer threads unless {@code --producers} says otherwise. */
	static final int DEFAULT_PRODUCERS = 4;

	private final LocalSentinelTopology topology;

	private final List<QueueVariant> variants;

	private final boolean drill;

	private final int producers;

	/** Shared by every context the benchmark starts, and by the hand-written workers. */
	private final ProcessedTasks processed = new ProcessedTasks();

	private final QueueThroughput throughput;

	private QueueBenchmark(LocalSentinelTopology topology, List<QueueVariant> variants, boolean drill,
			int producers) {
		this.topology = topology;
		this.variants = variants;
		this.drill = drill;
		this.producers = producers;
		this.throughput = new QueueThroughput(producers, this.processed);
	}

	static void main(Map<String, String> options) throws Exception {
		int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
		int warmups = Integer.parseInt(options.getOrDefault("warmups", "3"));
		List<QueueVariant> variants = Arrays.stream(options.getOrDefault("variants", String.join(",",
				Arrays.stream(QueueVariant.values()).map(Enum::name).toList()))
			.split(",")).map(String::strip).map(QueueVariant::valueOf).toList();
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
			for (QueueVariant variant : this.variants) {
				this.topology.master().command("FLUSHALL");
				try (ConfigurableApplicationContext context = start(variant)) {
					this.throughput.endToEndRate(context, variant);
				}
			}
		}
		for (int run = 0; run < runs; run++) {
			for (QueueVariant variant : this.variants) {
				this.topology.master().command("FLUSHALL");
				try (ConfigurableApplicationContext context = start(variant)) {
					enqueue.computeIfAbsent(variant.label, (key) -> new ArrayList<>())
						.add(this.throughput.enqueueRate(context, variant));
				}
				this.topology.master().command("FLUSHALL");
				try (ConfigurableApplicationContext context = start(variant)) {
					endToEnd.computeIfAbsent(variant.label, (key) -> new ArrayList<>())
						.add(this.throughput.endToEndRate(context, variant));
				}
			}
			System.out.println("Run " + (run + 1) + ": enqueue " + enqueue + ", end to end " + endToEnd);
		}
		String redisVersionLine = this.topology.master().command("INFO", "server").toString().lines()
			.filter((line) -> line.startsWith("redis_version")).findFirst().orElse("?");
		String markdown = new QueueReport(redisVersionLine, this.producers, runs, warmups, this.variants, enqueue,
				endToEnd).markdown();
		if (this.drill) {
			markdown += new QueueFailoverDrill(this.topology, this.processed).run();
		}
		return markdown;
	}

	private ConfigurableApplicationContext start(QueueVariant variant) {
		return QueueBenchApplication.start(this.topology, variant, this.processed);
	}

}
