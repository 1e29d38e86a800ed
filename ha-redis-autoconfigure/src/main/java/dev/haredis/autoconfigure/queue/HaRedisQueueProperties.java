package dev.haredis.autoconfigure.queue;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.haredis.autoconfigure.purpose.ConnectionPurposeProperties;
import dev.haredis.autoconfigure.internal.PropertyChecks;

/**
 * Configuration properties of the task queue on Redis Streams. The key prefix defaults to 'queue:'.
 */
@ConfigurationProperties("ha.redis.queue")
public class HaRedisQueueProperties extends ConnectionPurposeProperties {

	/**
	 * Key prefix used when 'ha.redis.queue.key-prefix' is not set.
	 */
	static final String DEFAULT_KEY_PREFIX = "queue:";

	/**
	 * Queue of TaskQueueOperations.enqueue(payload).
	 */
	private String defaultQueue = "default";

	/**
	 * Consumer group of the workers. Applications sharing a queue share the group; each task goes to one of them.
	 */
	private String group = "workers";

	/**
	 * Time after which a task that is still unacknowledged (its worker died, or is slower than this) is handed to
	 * another worker. Longer than the longest task, or tasks run twice.
	 */
	private Duration visibilityTimeout = Duration.ofMinutes(5);

	/**
	 * How many times a task is tried before it goes to the dead-letter queue.
	 */
	private int maxAttempts = 3;

	/**
	 * Name of a queue's dead-letter queue; '{queue}' stands for the queue's name. Dead-letter queues are queues:
	 * a handler may be registered for them.
	 */
	private String deadLetter = "{queue}.dead-letter";

	/**
	 * Worker threads per queue.
	 */
	private int concurrency = 4;

	/**
	 * How many tasks a worker reads at once.
	 */
	private int batchSize = 10;

	/**
	 * How long a worker's read waits for new tasks before it looks again (for due retries, abandoned tasks and a
	 * shutdown).
	 */
	private Duration blockTimeout = Duration.ofSeconds(1);

	/**
	 * Number of entries above which a queue's stream is trimmed. Only entries the workers have acknowledged are
	 * trimmed, never tasks still to run.
	 */
	private long maxLength = 100_000;

	/**
	 * Number of entries a dead-letter queue keeps, approximately (whole stream nodes are trimmed, so up to about a
	 * hundred more): the oldest are dropped, and counted by the 'ha.redis.queue.dead.letters.dropped' meter.
	 */
	private long deadLetterMaxLength = 10_000;

	/**
	 * Queues this application enqueues to without a handler of its own, metered by name. Meters of any other queue
	 * without a handler go under the tag queue=other, so that enqueues to arbitrary names cannot create unbounded
	 * meters.
	 */
	private Set<String> declaredQueues = new LinkedHashSet<>();

	/**
	 * How long task results (state, return value or error) are kept, for TaskQueueOperations.result. 0, the default, keeps
	 * none, as Celery without a result backend; '1d' is Celery's 'result_expires' when it has one.
	 */
	private Duration resultTtl = Duration.ZERO;

	/**
	 * Whether a task's result says STARTED while its handler runs, as Celery's 'task_track_started' (one more write
	 * per batch of tasks).
	 */
	private boolean trackStarted;

	/**
	 * Whether TaskQueueOperations.enqueue waits until 'ha.redis.durability.min-replicas' replicas have the task, as
	 * enqueueDurably does, so that an acknowledged enqueue survives a failover. Sentinel only: refused on a Redis
	 * Cluster.
	 */
	private boolean durable;

	/**
	 * How long a shutdown waits for tasks in progress. Tasks read but not started are handed back at once.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	private final BackOff backOff = new BackOff();

	@Override
	public String purposeName() {
		return "queue";
	}

	@Override
	protected void validate(PropertyChecks checks) {
		checks.name("default-queue", this.defaultQueue, "default");
		checks.name("group", this.group, "workers");
		checks.name("dead-letter", this.deadLetter, "{queue}.dead-letter");
		if (!this.deadLetter.contains("{queue}")) {
			checks.reject("dead-letter", "does not contain '{queue}', so every queue's failed tasks would go to the "
					+ "same dead-letter queue and could not be told apart: use a name such as '{queue}.dead-letter'");
		}
		else if ("{queue}".equals(this.deadLetter)) {
			checks.reject("dead-letter", "would send failed tasks back to their own queue for ever: use a name of "
					+ "its own, for example '{queue}.dead-letter'");
		}
		checks.positive("visibility-timeout", this.visibilityTimeout, "5m (longer than the longest task)");
		checks.atLeast("max-attempts", this.maxAttempts, 1, "attempts of a task before it is dead-lettered");
		checks.atLeast("concurrency", this.concurrency, 1, "worker threads per queue");
		checks.atLeast("batch-size", this.batchSize, 1, "tasks a worker reads at once");
		// XREADGROUP takes whole milliseconds, and BLOCK 0 waits for ever (a shutdown would never be noticed).
		checks.atLeast("block-timeout", this.blockTimeout, Duration.ofMillis(1),
				"a read waits whole milliseconds and 0 would wait for ever");
		// Only against a visibility timeout that can work: a refused one is reported once, as itself.
		if (!this.visibilityTimeout.isNegative() && !this.visibilityTimeout.isZero()
				&& this.blockTimeout.compareTo(this.visibilityTimeout) >= 0) {
			checks.reject("block-timeout", "must be shorter than ha.redis.queue.visibility-timeout ("
					+ this.visibilityTimeout + "), but is " + this.blockTimeout + ": use a second or so");
		}
		checks.atLeast("max-length", this.maxLength, 1, "entries above which a queue's stream is trimmed");
		checks.atLeast("dead-letter-max-length", this.deadLetterMaxLength, 1,
				"entries a dead-letter queue keeps before the oldest are dropped");
		int i = 0;
		for (String queue : this.declaredQueues) {
			checks.name("declared-queues[" + i++ + "]", queue, "emails");
		}
		checks.notNegative("result-ttl", this.resultTtl, "keeps no results");
		checks.notNegative("shutdown-timeout", this.shutdownTimeout, "does not wait for tasks in progress");
		checks.nested("back-off", () -> this.backOff.validate(checks));
	}

	public String getDefaultQueue() {
		return this.defaultQueue;
	}

	public void setDefaultQueue(String defaultQueue) {
		this.defaultQueue = defaultQueue;
	}

	public String getGroup() {
		return this.group;
	}

	public void setGroup(String group) {
		this.group = group;
	}

	public Duration getVisibilityTimeout() {
		return this.visibilityTimeout;
	}

	public void setVisibilityTimeout(Duration visibilityTimeout) {
		this.visibilityTimeout = visibilityTimeout;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public String getDeadLetter() {
		return this.deadLetter;
	}

	public void setDeadLetter(String deadLetter) {
		this.deadLetter = deadLetter;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public Duration getBlockTimeout() {
		return this.blockTimeout;
	}

	public void setBlockTimeout(Duration blockTimeout) {
		this.blockTimeout = blockTimeout;
	}

	public long getMaxLength() {
		return this.maxLength;
	}

	public void setMaxLength(long maxLength) {
		this.maxLength = maxLength;
	}

	public long getDeadLetterMaxLength() {
		return this.deadLetterMaxLength;
	}

	public void setDeadLetterMaxLength(long deadLetterMaxLength) {
		this.deadLetterMaxLength = deadLetterMaxLength;
	}

	public Set<String> getDeclaredQueues() {
		return this.declaredQueues;
	}

	public void setDeclaredQueues(Set<String> declaredQueues) {
		this.declaredQueues = declaredQueues;
	}

	public Duration getResultTtl() {
		return this.resultTtl;
	}

	public void setResultTtl(Duration resultTtl) {
		this.resultTtl = resultTtl;
	}

	public boolean isTrackStarted() {
		return this.trackStarted;
	}

	public void setTrackStarted(boolean trackStarted) {
		this.trackStarted = trackStarted;
	}

	public boolean isDurable() {
		return this.durable;
	}

	public void setDurable(boolean durable) {
		this.durable = durable;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public BackOff getBackOff() {
		return this.backOff;
	}

	/**
	 * Delays between the attempts of a task.
	 */
	public static class BackOff {

		/**
		 * Delay before the second attempt.
		 */
		private Duration initial = Duration.ofSeconds(1);

		/**
		 * Factor by which each further delay grows.
		 */
		private double multiplier = 2;

		/**
		 * Longest delay between two attempts.
		 */
		private Duration max = Duration.ofMinutes(1);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

		void validate(PropertyChecks checks) {
			checks.positive("initial", this.initial, "1s");
			if (!Double.isFinite(this.multiplier) || this.multiplier < 1) {
				checks.reject("multiplier", "must be a number of 1 or more (1 keeps every delay at 'initial'), for "
						+ "example 2");
			}
			if (this.max.compareTo(this.initial) < 0) {
				checks.reject("max", "must not be shorter than ha.redis.queue.back-off.initial (" + this.initial
						+ "): set it to the longest delay between two attempts, for example 1m");
			}
		}

	}

}
