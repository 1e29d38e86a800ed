package dev.haredis.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.health.SentinelTopologyHealthIndicator;

/**
 * What the drill measures once the fault rounds are over and the topology is healthy again: the SET throughput of
 * plain Spring Boot and ha-redis in the same JVM, and the latency of ha-redis's health indicator.
 */
final class SteadyStateMeasurement {

	static final int THROUGHPUT_THREADS = 4;

	static final int THROUGHPUT_RUNS = 7;

	static final Duration THROUGHPUT_RUN = Duration.ofSeconds(3);

	static final Duration THROUGHPUT_WARM_UP = Duration.ofSeconds(2);

	private SteadyStateMeasurement() {
	}

	/**
	 * Measure the ops/s of {@code spring-boot} and {@code ha-redis}, {@link #THROUGHPUT_RUNS} runs each.
	 * @param templates the two clients' templates by name
	 * @return the samples by client
	 */
	static Map<String, List<Double>> throughput(Map<String, StringRedisTemplate> templates) throws Exception {
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

	/**
	 * Time 100,000 health checks after 20,000 to warm the JIT up.
	 * @param indicator ha-redis's health indicator
	 * @return p50, p99 and max in milliseconds
	 */
	static double[] healthLatency(SentinelTopologyHealthIndicator indicator) {
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

}
