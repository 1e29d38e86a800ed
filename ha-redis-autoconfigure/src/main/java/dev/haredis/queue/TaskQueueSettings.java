package dev.haredis.queue;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How the task queue stores and processes tasks.
 * <p>
 * Public because the auto-configuration ({@code dev.haredis.autoconfigure.queue}) builds it from
 * {@code ha.redis.queue.*}; applications set those properties instead.
 *
 * @param keyPrefix prefix of every key the queue writes
 * @param group the consumer group of the workers
 * @param visibilityTimeout how long a task may stay unacknowledged before another worker takes it over
 * @param maxAttempts how many times a task is tried before it goes to the dead-letter queue
 * @param backOff the delays between attempts
 * @param deadLetterQueue the name of a queue's dead-letter queue, where {@code {queue}} stands for the queue's
 * name
 * @param concurrency workers per queue
 * @param batchSize how many tasks a worker reads at once
 * @param blockTimeout how long a worker's read waits for new tasks
 * @param maxLength approximate number of entries a queue's stream keeps (older, processed ones are trimmed)
 * @param deadLetterMaxLength approximate number of entries a dead-letter queue keeps (the oldest are dropped)
 * @param resultTtl how long task results are kept; {@link Duration#ZERO} to keep none
 * @param trackStarted whether a task's result says {@link TaskState#STARTED} while it runs (one more write per
 * batch of tasks)
 * @param shutdownTimeout how long a shutdown waits for tasks in progress
 * @param hashTags whether every key of one queue (and its dead-letter queues, task ids and results) carries the
 * queue's name as a hash tag, so that they share one Redis Cluster slot; set on a cluster
 */
public record TaskQueueSettings(String keyPrefix, String group, Duration visibilityTimeout, int maxAttempts,
		BackOff backOff, String deadLetterQueue, int concurrency, int batchSize, Duration blockTimeout,
		long maxLength, long deadLetterMaxLength, Duration resultTtl, boolean trackStarted, Duration shutdownTimeout,
		boolean hashTags) {

	public TaskQueueSettings {
		Assert.isTrue(maxAttempts >= 1, "'maxAttempts' must be at least 1");
		Assert.isTrue(concurrency >= 1, "'concurrency' must be at least 1");
		Assert.isTrue(batchSize >= 1, "'batchSize' must be at least 1");
		Assert.isTrue(maxLength >= 1, "'maxLength' must be at least 1");
		Assert.isTrue(deadLetterMaxLength >= 1, "'deadLetterMaxLength' must be at least 1");
		Assert.isTrue(!visibilityTimeout.isNegative() && !visibilityTimeout.isZero(),
				"'visibilityTimeout' must be positive");
	}

	/**
	 * Create settings for a Sentinel topology's single master: keys without hash tags.
	 * @param keyPrefix prefix of every key the queue writes
	 * @param group the consumer group of the workers
	 * @param visibilityTimeout how long a task may stay unacknowledged before another worker takes it over
	 * @param maxAttempts how many times a task is tried before it goes to the dead-letter queue
	 * @param backOff the delays between attempts
	 * @param deadLetterQueue the name of a queue's dead-letter queue
	 * @param concurrency workers per queue
	 * @param batchSize how many tasks a worker reads at once
	 * @param blockTimeout how long a worker's read waits for new tasks
	 * @param maxLength approximate number of entries a queue's stream keeps
	 * @param deadLetterMaxLength approximate number of entries a dead-letter queue keeps
	 * @param resultTtl how long task results are kept
	 * @param trackStarted whether a task's result says {@link TaskState#STARTED} while it runs
	 * @param shutdownTimeout how long a shutdown waits for tasks in progress
	 */
	public TaskQueueSettings(String keyPrefix, String group, Duration visibilityTimeout, int maxAttempts,
			BackOff backOff, String deadLetterQueue, int concurrency, int batchSize, Duration blockTimeout,
			long maxLength, long deadLetterMaxLength, Duration resultTtl, boolean trackStarted,
			Duration shutdownTimeout) {
		this(keyPrefix, group, visibilityTimeout, maxAttempts, backOff, deadLetterQueue, concurrency, batchSize,
				blockTimeout, maxLength, deadLetterMaxLength, resultTtl, trackStarted, shutdownTimeout, false);
	}

	/**
	 * Return whether task results are stored.
	 * @return whether results are kept
	 */
	public boolean storesResults() {
		return !this.resultTtl.isZero() && !this.resultTtl.isNegative();
	}

	/**
	 * Exponential back-off between the attempts of a task.
	 *
	 * @param initial the delay before the second attempt
	 * @param multiplier by how much each further delay grows
	 * @param max the longest delay
	 */
	public record BackOff(Duration initial, double multiplier, Duration max) {

		/**
		 * Return the delay after a failed attempt.
		 * @param attempt the attempt that failed, from 1
		 * @return how long to wait before the next one
		 */
		public Duration delayAfter(int attempt) {
			double millis = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
			return (millis >= this.max.toMillis()) ? this.max : Duration.ofMillis((long) millis);
		}

	}

}
