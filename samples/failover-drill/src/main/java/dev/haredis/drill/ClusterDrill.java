package dev.haredis.drill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.test.LocalClusterTopology;
import dev.haredis.test.RedisServerBinary;

/**
 * The failover drill's cluster mode: on one local cluster (3 masters, 3 replicas, {@code cluster-node-timeout}
 * 2000 ms), plain Spring Boot (defaults, and tuned), and ha-redis write side by side while one master is killed,
 * failed over by hand or frozen.
 * <p>
 * Run: {@code java -jar samples/failover-drill/target/failover-drill-0.1.0-SNAPSHOT.jar --cluster --rounds=3}
 * ({@code --scenarios=kill,manual,freeze}, {@code --report=path}).
 */
final class ClusterDrill {

	private ClusterDrill() {
	}

	static void main(Map<String, String> options) throws Exception {
		int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
		List<String> scenarios = Arrays.stream(options.getOrDefault("scenarios", "kill,manual,freeze").split(","))
			.filter((scenario) -> !scenario.isBlank())
			.toList();
		Path report = Path.of(options.getOrDefault("report", "samples/failover-drill/target/cluster-drill-report.md"));
		try (LocalClusterTopology topology = LocalClusterTopology.builder().start()) {
			Runtime.getRuntime().addShutdownHook(new Thread(topology::close));
			try (ClusterDrillClients clients = ClusterDrillClients.start(topology)) {
				List<ClusterRoundResult> results = new ArrayList<>();
				ClusterRound round = new ClusterRound(topology, clients.templates());
				for (String scenario : scenarios) {
					for (int i = 1; i <= rounds; i++) {
						awaitWriting(clients.templates());
						results.addAll(round.run(scenario, i));
						topology.restore();
					}
				}
				awaitWriting(clients.templates());
				Map<String, List<Double>> throughput = SteadyStateMeasurement.throughput(clients.templates());
				String markdown = new ClusterDrillReport(RedisServerBinary.locate().version(), results, throughput)
					.markdown();
				System.out.println(markdown);
				Files.createDirectories(report.toAbsolutePath().getParent());
				Files.writeString(report, markdown);
				System.out.println("Report written to " + report.toAbsolutePath());
			}
		}
	}

	/**
	 * Wait up to 60 s until every client writes to every master's slots again after a restore.
	 */
	private static void awaitWriting(Map<String, StringRedisTemplate> clients) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		for (Map.Entry<String, StringRedisTemplate> client : clients.entrySet()) {
			for (int key = 0; key < 30; key++) {
				while (true) {
					try {
						client.getValue().opsForValue().set("drill:probe:" + key, "1");
						break;
					}
					catch (RuntimeException ex) {
						if (System.nanoTime() > deadline) {
							throw new IllegalStateException(client.getKey() + " cannot write after the restore", ex);
						}
						DrillPause.pause(Duration.ofMillis(100));
					}
				}
			}
		}
	}

}
