package dev.haredis.drill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyBuilder;
import dev.haredis.test.RedisServerBinary;

/**
 * The failover drill: on one local master, replica and three sentinels ({@code down-after-milliseconds} 2000),
 * plain Spring Boot sentinel support and ha-redis (with and without the durable-write guard) run the same write
 * workload side by side while a fault is injected; then every acknowledged write is looked up on the final master.
 * <p>
 * Run: {@code java -jar samples/failover-drill/target/failover-drill-0.1.0-SNAPSHOT.jar --rounds=3}
 * ({@code --scenarios=kill,manual,freeze}, or {@code partition} and {@code partition-minority}, which need root, {@code --report=path}); {@code --queue} runs the {@link QueueBenchmark},
 * {@code --throughput} the {@link ThroughputComparison} (one JVM per variant, with and without actuator),
 * {@code --cluster} the {@link ClusterDrill} (Redis Cluster faults), {@code --chaos} the {@link ChaosDrill} (random
 * faults from a seed, judged by the chaos checker).
 * <p>
 * This class reads the options and runs the rounds; {@link DrillClients} holds the clients, {@link ScenarioRound}
 * injects one fault, {@link SteadyStateMeasurement} measures after the faults and {@link DrillReport} writes the
 * Markdown.
 */
public final class FailoverDrill {

	private FailoverDrill() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		if (Arrays.asList(args).contains("--queue")) {
			QueueBenchmark.main(options);
			System.exit(0);
		}
		if (Arrays.asList(args).contains("--cluster")) {
			ClusterDrill.main(options);
			System.exit(0);
		}
		if (Arrays.asList(args).contains("--chaos")) {
			System.exit(ChaosDrill.main(options) ? 0 : 1);
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
		LocalSentinelTopologyBuilder builder = LocalSentinelTopology.builder();
		if (scenarios.stream().anyMatch((scenario) -> scenario.startsWith("partition"))) {
			// Partitions cut loopback connections with iptables: root only (see LoopbackPartitions).
			builder.partitionable();
		}
		try (LocalSentinelTopology topology = builder.start()) {
			Runtime.getRuntime().addShutdownHook(new Thread(topology::close));
			try (DrillClients clients = DrillClients.start(topology)) {
				run(topology, clients, rounds, scenarios, report);
			}
		}
		System.exit(0);
	}

	private static void run(LocalSentinelTopology topology, DrillClients clients, int rounds, List<String> scenarios,
			Path report) throws Exception {
		List<RoundResult> results = new ArrayList<>();
		try (SentinelEventClock clock = new SentinelEventClock(topology.sentinelAddresses())) {
			ScenarioRound scenarioRound = new ScenarioRound(topology, clients.writes(), clock,
					clients.healthUp());
			for (String scenario : scenarios) {
				for (int round = 1; round <= rounds; round++) {
					clients.awaitWriting();
					results.addAll(scenarioRound.run(scenario, round));
					topology.restore();
				}
			}
		}
		clients.awaitWriting();
		Map<String, List<Double>> throughput = SteadyStateMeasurement.throughput(clients.templates());
		double[] health = SteadyStateMeasurement.healthLatency(clients.healthIndicator());
		String markdown = new DrillReport(RedisServerBinary.locate().version(), results, throughput, health).markdown();
		System.out.println(markdown);
		Files.createDirectories(report.toAbsolutePath().getParent());
		Files.writeString(report, markdown);
		System.out.println("Report written to " + report.toAbsolutePath());
	}

	/**
	 * The {@code --name=value} arguments by lower-case name; flags without a value ({@code --queue}) are not in it.
	 */
	private static Map<String, String> options(String[] args) {
		return Arrays.stream(args)
			.filter((arg) -> arg.startsWith("--") && arg.contains("="))
			.collect(Collectors.toMap((arg) -> arg.substring(2, arg.indexOf('=')).toLowerCase(Locale.ROOT),
					(arg) -> arg.substring(arg.indexOf('=') + 1)));
	}

}
