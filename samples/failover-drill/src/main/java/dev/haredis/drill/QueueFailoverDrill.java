package dev.haredis.drill;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.context.ConfigurableApplicationContext;

import dev.haredis.queue.TaskQueueOperations;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;

/**
 * The queue benchmark's failover drill: tasks enqueued (plainly and durably) while the master is killed, and which of
 * the acknowledged ones the workers processed. Its result is a Markdown table for the end of the report.
 */
final class QueueFailoverDrill {

	private final LocalSentinelTopology topology;

	private final ProcessedTasks processed;

	QueueFailoverDrill(LocalSentinelTopology topology, ProcessedTasks processed) {
		this.topology = topology;
		this.processed = processed;
	}

	/**
	 * Run the drill on ha-redis's default variant and restore the topology afterwards.
	 * @return the Markdown: what was done, and a row per kind of enqueue
	 */
	String run() throws Exception {
		StringBuilder out = new StringBuilder("Failover drill: ");
		out.append("an enqueue every 2 ms for 12 s (plain and durable, `WAIT 1 1000`, alternating), `kill -9` of the "
				+ "master after 3 s, then up to 30 s for the workers to process what was acknowledged.\n\n");
		out.append("| enqueue | acknowledged | failed (error to the caller) | processed | acknowledged but never processed |\n");
		out.append("|---|---:|---:|---:|---:|\n");
		this.topology.master().command("FLUSHALL");
		Set<String> processedIds = this.processed.ids();
		processedIds.clear();
		try (ConfigurableApplicationContext context = QueueBenchApplication.start(this.topology, QueueVariant.HA_REDIS,
				this.processed)) {
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
						durable.add(tasks.enqueueDurably("drill", new BenchmarkTask(n)));
					}
					else {
						plain.add(tasks.enqueue("drill", new BenchmarkTask(n)));
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
			out.append(row("plain `enqueue`", plain, plainFailed.sum(), processedIds));
			out.append(row("`enqueueDurably`", durable, durableFailed.sum(), processedIds));
		}
		this.topology.restore();
		return out.toString();
	}

	private static String row(String label, Set<String> acknowledged, long failed, Set<String> processedIds) {
		long processedCount = acknowledged.stream().filter(processedIds::contains).count();
		return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", label, acknowledged.size(), failed,
				processedCount, acknowledged.size() - processedCount);
	}

	/**
	 * Sleep; an interrupt only cuts the pause short, so that the drill still reports what it has.
	 */
	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
