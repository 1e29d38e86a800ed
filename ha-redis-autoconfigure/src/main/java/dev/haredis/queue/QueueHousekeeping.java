package dev.haredis.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.internal.RedisErrors;

/**
 * The housekeeping of one queue, about once a second: moving due retries back into the queue
 * ({@link DueRetries}), taking over tasks left unacknowledged for longer than the visibility timeout
 * ({@link AbandonedTasks}), trimming acknowledged entries and keeping the dead-letter queue within its bound
 * ({@link StreamTrimming}), and reading the queue's state ({@link QueueObservation}). Each step fails on its own
 * (logged once until it works again): a step that keeps failing never stops the others. The queue's first worker
 * runs it between two reads, so that tasks taken over run within the queue's concurrency.
 */
final class QueueHousekeeping implements Runnable {

	private static final Log logger = LogFactory.getLog(QueueHousekeeping.class);

	private final String queue;

	private final Clock clock;

	private final Duration interval;

	private final Map<String, Runnable> steps;

	private final Set<String> failingSteps = new HashSet<>();

	private long next;

	QueueHousekeeping(String queue, Clock clock, Duration interval, Map<String, Runnable> steps) {
		this.queue = queue;
		this.clock = clock;
		this.interval = interval;
		this.steps = new LinkedHashMap<>(steps);
	}

	/**
	 * Return the housekeeping of a queue, about once a second (every quarter of the visibility timeout when that is
	 * shorter).
	 * @param queue the queue
	 * @param consumer the consumer name of the worker that runs it, which takes over abandoned tasks
	 * @param settings the queue settings
	 * @param redis operations on the queue's connection factory
	 * @param observer told what the housekeeping finds
	 * @param clock the clock
	 * @param runner runs the tasks taken over
	 * @return the housekeeping
	 */
	static QueueHousekeeping of(String queue, String consumer, TaskQueueSettings settings, StringRedisTemplate redis,
			TaskQueueObserver observer, Clock clock, TaskRunner runner) {
		Duration quarter = settings.visibilityTimeout().dividedBy(4);
		Duration interval = (quarter.compareTo(Duration.ofSeconds(1)) < 0) ? quarter : Duration.ofSeconds(1);
		HousekeptQueue housekept = new HousekeptQueue(queue, settings, redis, observer, clock);
		StreamTrimming trimming = new StreamTrimming(housekept);
		Map<String, Runnable> steps = new LinkedHashMap<>();
		steps.put("moving due retries", new DueRetries(housekept));
		steps.put("taking over abandoned tasks", new AbandonedTasks(housekept, consumer, runner));
		steps.put("trimming the stream", trimming::trimAcknowledged);
		steps.put("bounding the dead-letter queue", trimming::boundDeadLetters);
		steps.put("reading the queue's state", new QueueObservation(housekept));
		return new QueueHousekeeping(queue, clock, interval, steps);
	}

	/**
	 * Do the housekeeping if it is due.
	 */
	@Override
	public void run() {
		if (this.clock.millis() < this.next) {
			return;
		}
		this.next = this.clock.millis() + this.interval.toMillis();
		this.steps.forEach(this::step);
	}

	/**
	 * Run a step; an error reply is logged once until the step works again. An outage and a missing group are for
	 * the worker's loop, anything else (a bug) for the worker's supervisor.
	 */
	private void step(String name, Runnable step) {
		try {
			step.run();
			if (this.failingSteps.remove(name)) {
				logger.info("Housekeeping of queue '" + this.queue + "' works again: " + name);
			}
		}
		catch (RuntimeException ex) {
			// A server out of reach is an outage, and a missing group (a new queue, a promoted replica without it)
			// is for the worker's loop to create: only an error reply is this step's own.
			if (!QueueFailures.isRedisFailure(ex) || RedisErrors.isUnreachable(ex)
					|| QueueFailures.isMissingGroup(RedisErrors.describe(ex))) {
				throw ex;
			}
			if (this.failingSteps.add(name)) {
				logger.warn("Housekeeping of queue '" + this.queue + "' failed " + name + " ("
						+ ErrorTexts.loggable(RedisErrors.describe(ex)) + "); trying again in " + this.interval);
			}
		}
	}

}
