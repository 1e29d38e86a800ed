package dev.haredis.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.ConfigurableApplicationContext;
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

import dev.haredis.queue.TaskQueueOperations;

/**
 * The queue benchmark's two measurements of one variant in a running application: enqueue throughput (producers
 * only), and end-to-end throughput (producers and workers together, counting what the workers process). The
 * hand-written variants get hand-written producers and workers on the same connection factory.
 */
final class QueueThroughput {

	static final int WORKERS = 4;

	static final int BATCH = 50;

	/** Tasks per call of the bulk variants. */
	static final int BULK = 50;

	static final Duration RUN = Duration.ofSeconds(5);

	private final int producers;

	private final ProcessedTasks processed;

	/**
	 * @param producers how many producer threads
	 * @param processed where the workers count
	 */
	QueueThroughput(int producers, ProcessedTasks processed) {
		this.producers = producers;
		this.processed = processed;
	}

	/**
	 * Enqueue for {@link #RUN} on the producer threads.
	 * @return tasks enqueued per second
	 */
	double enqueueRate(ConfigurableApplicationContext context, QueueVariant variant) throws InterruptedException {
		Producer producer = producer(context, variant, "bench");
		return parallel(this.producers, RUN, producer) / (double) RUN.toSeconds();
	}

	/**
	 * Enqueue for {@link #RUN} while the workers process.
	 * @return tasks processed per second
	 */
	double endToEndRate(ConfigurableApplicationContext context, QueueVariant variant) throws InterruptedException {
		Producer producer = producer(context, variant, "e2e");
		List<Thread> workers = new ArrayList<>();
		long[] deadline = { System.nanoTime() + RUN.toNanos() + Duration.ofSeconds(1).toNanos() };
		if (variant.handWritten()) {
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
		long before = this.processed.count();
		long start = System.nanoTime();
		parallel(this.producers, RUN, producer);
		long done = this.processed.count() - before;
		double seconds = (System.nanoTime() - start) / 1e9;
		deadline[0] = System.nanoTime();
		for (Thread worker : workers) {
			worker.join(Duration.ofSeconds(5).toMillis());
		}
		return done / seconds;
	}

	private void handWrittenWorker(RedisConnectionFactory factory, String consumer, long[] deadline) {
		try (StringRedisConnection connection = new DefaultStringRedisConnection(factory.getConnection())) {
			while (System.nanoTime() < deadline[0]) {
				List<StringRecord> records = connection.xReadGroupAsString(Consumer.from("workers", consumer),
						StreamReadOptions.empty().count(BATCH).block(Duration.ofMillis(100)),
						StreamOffset.create("hand:e2e", ReadOffset.lastConsumed()));
				if (records == null || records.isEmpty()) {
					continue;
				}
				for (StringRecord record : records) {
					this.processed.increment();
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

	private static Producer producer(ConfigurableApplicationContext context, QueueVariant variant, String queue) {
		AtomicLong n = new AtomicLong();
		if (variant.handWritten()) {
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
				tasks.enqueue(queue, new BenchmarkTask(n.incrementAndGet()));
				return 1;
			};
		}
		return () -> {
			List<BenchmarkTask> batch = new ArrayList<>(BULK);
			for (int i = 0; i < BULK; i++) {
				batch.add(new BenchmarkTask(n.incrementAndGet()));
			}
			tasks.enqueueAll(queue, batch);
			return BULK;
		};
	}

	@FunctionalInterface
	interface Producer {

		/**
		 * Enqueue tasks.
		 * @return how many
		 */
		int enqueue();

	}

}
