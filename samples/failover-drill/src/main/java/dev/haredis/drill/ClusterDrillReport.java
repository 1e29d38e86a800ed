package dev.haredis.drill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The cluster drill's Markdown report: medians per scenario and client, the raw rounds and the throughput.
 */
final class ClusterDrillReport {

	private final String redisVersion;

	private final List<ClusterRoundResult> results;

	private final Map<String, List<Double>> throughput;

	ClusterDrillReport(String redisVersion, List<ClusterRoundResult> results, Map<String, List<Double>> throughput) {
		this.redisVersion = redisVersion;
		this.results = results;
		this.throughput = throughput;
	}

	String markdown() {
		StringBuilder out = new StringBuilder();
		out.append("Redis ").append(this.redisVersion).append(", 3 masters and 3 replicas, cluster-node-timeout 2000 ms, "
				+ "a SET every 5 ms per writer (one on the failed shard's slots, one on another master's); times in ms "
				+ "from the replica's promotion (ROLE polled every 2 ms).\n\n"
				+ "| scenario | client | promotion → first write | longest without a write | writes > 5 s | errors "
				+ "| errors on the other shards | lost |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
		Map<String, List<ClusterRoundResult>> groups = new LinkedHashMap<>();
		this.results.forEach((r) -> groups.computeIfAbsent(r.scenario() + "|" + r.client(), (k) -> new ArrayList<>()).add(r));
		groups.values()
			.forEach((rounds) -> out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
					rounds.get(0).scenario(), rounds.get(0).client(),
					median(rounds, ClusterRoundResult::firstWriteMillis),
					median(rounds, ClusterRoundResult::longestGapMillis), median(rounds, ClusterRoundResult::stalled),
					median(rounds, ClusterRoundResult::errors), median(rounds, ClusterRoundResult::otherShardErrors),
					median(rounds, ClusterRoundResult::lost))));
		out.append("\nSteady-state throughput (SET, ops/s): ");
		out.append(DrillReport.throughput(this.throughput));
		out.append("\n\nRaw rounds:\n\n| scenario | round | client | promotion → first write | longest gap | > 5 s "
				+ "| errors | other shards | lost |\n|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
		this.results.forEach((r) -> out.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %d | %d | %d | %d |%n",
				r.scenario(), r.round(), r.client(), r.firstWriteMillis(), r.longestGapMillis(), r.stalled(), r.errors(),
				r.otherShardErrors(), r.lost())));
		return out.toString();
	}

	private static double median(List<ClusterRoundResult> rounds, ToDoubleFunction<ClusterRoundResult> value) {
		return DrillReport.median(rounds.stream().map(value::applyAsDouble).toList());
	}

}
