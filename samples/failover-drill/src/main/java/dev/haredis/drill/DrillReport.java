package dev.haredis.drill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The drill's Markdown report: medians per scenario and client, the raw rounds, throughput and health latency.
 */
final class DrillReport {

	private final String redisVersion;

	private final List<RoundResult> results;

	private final Map<String, List<Double>> throughput;

	private final double[] healthMillis;

	DrillReport(String redisVersion, List<RoundResult> results, Map<String, List<Double>> throughput,
			double[] healthMillis) {
		this.redisVersion = redisVersion;
		this.results = results;
		this.throughput = throughput;
		this.healthMillis = healthMillis;
	}

	String markdown() {
		StringBuilder out = new StringBuilder();
		out.append("Redis: `").append(this.redisVersion).append("`, cores: ")
			.append(Runtime.getRuntime().availableProcessors()).append("\n\n");
		out.append("| scenario | client | fault → +switch-master (ms) | +switch-master → first surviving write (ms) "
				+ "| longest gap without ack (ms) | longest gap without surviving ack (ms) | failed writes "
				+ "| READONLY errors | acknowledged writes lost | fault → first failed write (ms) "
				+ "| lost after the first failed write | fault → health not UP (ms) |\n");
		out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		Map<String, List<RoundResult>> groups = new LinkedHashMap<>();
		this.results.forEach((result) -> groups
			.computeIfAbsent(result.scenario() + "|" + result.client(), (key) -> new ArrayList<>())
			.add(result));
		groups.forEach((key, rounds) -> out.append(String.format(Locale.ROOT,
				"| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
				rounds.get(0).scenario(),
				rounds.get(0).client(), median(rounds, RoundResult::faultToSwitchMillis),
				median(rounds, RoundResult::switchToFirstWriteMillis), median(rounds, RoundResult::longestAckGapMillis),
				median(rounds, RoundResult::longestDurableGapMillis), median(rounds, (r) -> r.failed()),
				median(rounds, (r) -> r.readOnly()), median(rounds, (r) -> r.lost()),
				median(rounds, RoundResult::faultToFirstFailureMillis), median(rounds, (r) -> r.lostAfterFirstFailure()),
				median(rounds, RoundResult::faultToHealthNotUpMillis))));
		out.append("\nMedians over ").append(groups.isEmpty() ? 0 : groups.values().iterator().next().size())
			.append(" rounds.\n\n");
		out.append(String.format(Locale.ROOT,
				"Steady-state throughput (%d threads, SET, %d runs of %d s alternating after a warm-up, ops/s): ",
				SteadyStateMeasurement.THROUGHPUT_THREADS, SteadyStateMeasurement.THROUGHPUT_RUNS,
				SteadyStateMeasurement.THROUGHPUT_RUN.toSeconds()));
		out.append(throughput(this.throughput));
		out.append(String.format(Locale.ROOT,
				"%n%nHealth indicator latency (100,000 calls): p50 %.4f ms, p99 %.4f ms, max %.3f ms%n",
				this.healthMillis[0], this.healthMillis[1], this.healthMillis[2]));
		out.append("\nRaw rounds:\n\n| scenario | round | client | fault→switch | switch→write | gap | durable gap | writes "
				+ "| failed | READONLY | lost | first failure | lost after it | health not UP |\n"
				+ "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		this.results.forEach((r) -> out.append(String.format(Locale.ROOT,
				"| %s | %d | %s | %.0f | %.0f | %.0f | %.0f | %d | %d | %d | %d | %.0f | %d | %.0f |%n", r.scenario(),
				r.round(), r.client(), r.faultToSwitchMillis(), r.switchToFirstWriteMillis(), r.longestAckGapMillis(),
				r.longestDurableGapMillis(), r.writes(), r.failed(), r.readOnly(), r.lost(),
				r.faultToFirstFailureMillis(), r.lostAfterFirstFailure(), r.faultToHealthNotUpMillis())));
		return out.toString();
	}

	/**
	 * The throughput samples of each client with their median, and the ratio of ha-redis to Spring Boot.
	 */
	static String throughput(Map<String, List<Double>> throughput) {
		StringBuilder out = new StringBuilder();
		throughput.forEach((client, values) -> out.append(String.format(Locale.ROOT, "%s median %.0f %s; ",
				client, median(values), values.stream().map((v) -> String.format(Locale.ROOT, "%.0f", v)).toList())));
		List<Double> boot = throughput.get("spring-boot");
		List<Double> haRedis = throughput.get("ha-redis");
		if (boot != null && haRedis != null) {
			List<Double> paired = new ArrayList<>();
			for (int i = 0; i < Math.min(boot.size(), haRedis.size()); i++) {
				paired.add(haRedis.get(i) / boot.get(i));
			}
			out.append(String.format(Locale.ROOT,
					"ratio ha-redis / spring-boot: of the medians %.3f, median of the paired runs %.3f",
					median(haRedis) / median(boot), median(paired)));
		}
		return out.toString();
	}

	private static double median(List<RoundResult> rounds, ToDoubleFunction<RoundResult> value) {
		return median(rounds.stream().map(value::applyAsDouble).toList());
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().filter((value) -> !value.isNaN()).sorted().toList();
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
