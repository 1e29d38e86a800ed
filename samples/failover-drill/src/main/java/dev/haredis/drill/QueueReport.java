package dev.haredis.drill;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The queue benchmark's Markdown: the setup, a table of medians with each variant's ratio to its hand-written loop,
 * and the raw samples. The failover drill's table follows it ({@link QueueFailoverDrill}).
 */
final class QueueReport {

	private final String redisVersionLine;

	private final int producers;

	private final int runs;

	private final int warmups;

	private final List<QueueVariant> variants;

	private final Map<String, List<Double>> enqueue;

	private final Map<String, List<Double>> endToEnd;

	/**
	 * @param redisVersionLine the {@code redis_version} line of the master's {@code INFO server}
	 * @param producers producer threads
	 * @param runs measured runs
	 * @param warmups warm-up rounds
	 * @param variants the variants, in the order of the table
	 * @param enqueue enqueue samples (tasks/s) by variant label
	 * @param endToEnd end-to-end samples (tasks/s) by variant label
	 */
	QueueReport(String redisVersionLine, int producers, int runs, int warmups, List<QueueVariant> variants,
			Map<String, List<Double>> enqueue, Map<String, List<Double>> endToEnd) {
		this.redisVersionLine = redisVersionLine;
		this.producers = producers;
		this.runs = runs;
		this.warmups = warmups;
		this.variants = variants;
		this.enqueue = enqueue;
		this.endToEnd = endToEnd;
	}

	String markdown() {
		StringBuilder out = new StringBuilder();
		out.append("Redis: `").append(this.redisVersionLine).append("`, cores: ")
			.append(Runtime.getRuntime().availableProcessors()).append(String.format(Locale.ROOT,
					", %d producer threads, %d workers, batch %d, %d s per measurement, %d runs after %d warm-up rounds%n%n",
					this.producers, QueueThroughput.WORKERS, QueueThroughput.BATCH, QueueThroughput.RUN.toSeconds(),
					this.runs, this.warmups));
		out.append("| implementation | enqueue (tasks/s, median) | ratio | end to end (tasks/s, median) | ratio |\n");
		out.append("|---|---:|---:|---:|---:|\n");
		for (QueueVariant variant : this.variants) {
			double e = DrillReport.median(this.enqueue.get(variant.label));
			double t = DrillReport.median(this.endToEnd.get(variant.label));
			// Each variant against its own hand-written loop (one task per call, or pipelined bulk); empty when that
			// loop was not measured (--variants).
			String enqueueRatio = ratio(e, this.enqueue.get(variant.baseline().label));
			String endToEndRatio = ratio(t, this.endToEnd.get(variant.baseline().label));
			out.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %.0f | %s |%n", variant.label, e, enqueueRatio,
					t, endToEndRatio));
		}
		out.append("\nSamples: enqueue ").append(this.enqueue).append("; end to end ").append(this.endToEnd)
			.append("\n\n");
		return out.toString();
	}

	private static String ratio(double median, @Nullable List<Double> baseline) {
		return (baseline != null) ? String.format(Locale.ROOT, "%.2f", median / DrillReport.median(baseline)) : "";
	}

}
