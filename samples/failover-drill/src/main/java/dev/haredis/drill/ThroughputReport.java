package dev.haredis.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.haredis.drill.ThroughputComparison.StartUp;
import dev.haredis.drill.ThroughputComparison.Variant;
import dev.haredis.test.RedisServerBinary;

/**
 * The Markdown report of a {@link ThroughputComparison}: medians and ratios of the throughput runs, the start-ups,
 * and what each client found on its class path.
 */
final class ThroughputReport {

	private ThroughputReport() {
	}

static String write(List<Variant> variants, int threads, int runs, Duration run, Duration warmUp,
		Map<Variant, List<Double>> samples, Map<Variant, String> descriptions, Map<Variant, String> meters,
		Map<Variant, List<StartUp>> startUps) {
	StringBuilder out = new StringBuilder();
	out.append(String.format(Locale.ROOT,
			"Throughput, %s: Redis `%s`, %d cores, Java %s, %d threads per client each doing `SET` then `GET` "
					+ "(every command counted), a %d s warm-up per client, then %d runs of %d s, the variants "
					+ "taking turns (order rotated every run). One JVM per variant (%s).%n%n",
			Instant.now(), RedisServerBinary.locate().version(), Runtime.getRuntime().availableProcessors(),
			System.getProperty("java.version"), threads, warmUp.toSeconds(), runs, run.toSeconds(),
			String.join(" ", ThroughputComparison.JVM_OPTIONS)));
	out.append("| variant | what is on the class path | median (commands/s) | × boot-lean | runs |\n");
	out.append("|---|---|---:|---:|---|\n");
	Variant baseline = find(variants, "boot-lean");
	for (Variant variant : variants) {
		List<Double> values = samples.get(variant);
		out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %s | %s |%n", variant.name(),
				variant.description(), DrillReport.median(values),
				(baseline != null) ? ratio(DrillReport.median(values), DrillReport.median(samples.get(baseline)))
						: "",
				values.stream().map((v) -> String.format(Locale.ROOT, "%.0f", v)).toList()));
	}
	out.append("\n| comparison | ratio of the medians | median of the per-run ratios | per-run ratios |\n"
			+ "|---|---:|---:|---|\n");
	comparison(out, variants, samples, "ha-redis-lean", "boot-lean", "(target ≥ 0.97)");
	comparison(out, variants, samples, "ha-redis-actuator", "boot-actuator", "");
	comparison(out, variants, samples, "boot-actuator", "boot-lean", "(the cost of command observations)");
	comparison(out, variants, samples, "ha-redis-actuator", "ha-redis-lean", "");
	comparison(out, variants, samples, "ha-redis-actuator-unobserved", "ha-redis-lean", "");
	for (Variant variant : variants) {
		if (variant.isOther()) {
			comparison(out, variants, samples, variant.name(), "boot-lean", "");
			comparison(out, variants, samples, variant.name().substring(0, variant.name().length() - ThroughputComparison.OTHER.length()),
					variant.name(), "(this build / the other)");
		}
	}
	if (!startUps.isEmpty()) {
		out.append(String.format(Locale.ROOT, "%nStart-up, %d starts per variant (interleaved, one JVM at a time), "
				+ "milliseconds from the JVM's start:%n%n", startUps.values().iterator().next().size()));
		out.append("| variant | context ready (median) | first acknowledged `SET` (median) | first `SET` per start |\n");
		out.append("|---|---:|---:|---|\n");
		startUps.forEach((variant, values) -> out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %s |%n",
				variant.name(),
				DrillReport.median(values.stream().map((v) -> (double) v.contextReadyMillis()).toList()),
				DrillReport.median(values.stream().map((v) -> (double) v.firstWriteMillis()).toList()),
				values.stream().map(StartUp::firstWriteMillis).toList())));
	}
	out.append("\nWhat each client found (checked before measuring):\n\n");
	descriptions.forEach((variant, description) -> out.append("- ").append(variant.name()).append(": ")
		.append(description).append("; Lettuce command meters: ").append(meters.get(variant))
		.append('\n'));
	return out.toString();
}

private static void comparison(StringBuilder out, List<Variant> variants, Map<Variant, List<Double>> samples,
		String name, String baselineName, String note) {
	Variant variant = find(variants, name);
	Variant baseline = find(variants, baselineName);
	if (variant == null || baseline == null) {
		return;
	}
	List<Double> values = samples.get(variant);
	List<Double> baselineValues = samples.get(baseline);
	List<Double> paired = new ArrayList<>();
	for (int i = 0; i < Math.min(values.size(), baselineValues.size()); i++) {
		paired.add(values.get(i) / baselineValues.get(i));
	}
	out.append(String.format(Locale.ROOT, "| %s / %s %s | %s | %s | %s |%n", name, baselineName, note,
			ratio(DrillReport.median(values), DrillReport.median(baselineValues)),
			String.format(Locale.ROOT, "%.3f", DrillReport.median(paired)),
			paired.stream().map((r) -> String.format(Locale.ROOT, "%.3f", r)).toList()));
}

private static String ratio(double value, double baseline) {
	return String.format(Locale.ROOT, "%.3f", value / baseline);
}

static @Nullable Variant find(List<Variant> variants, String name) {
	return variants.stream().filter((variant) -> variant.name().equals(name)).findFirst().orElse(null);
}

}
