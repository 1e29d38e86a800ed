package dev.haredis.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StringRecord;

import dev.haredis.internal.RedisErrors;

/**
 * Runs the tasks of one queue through its handler and records each outcome. Whatever a handler throws, an
 * {@link Error} included ({@link StackOverflowError}, {@link NoClassDefFoundError}, {@link AssertionError}), is a
 * failed attempt: retried after a back-off, then dead-lettered. Only a {@link VirtualMachineError} other than a
 * stack overflow ({@link OutOfMemoryError}, {@link InternalError}) is not blamed on the task: the JVM itself is in
 * doubt, so it goes up to the worker, which is restarted, and the task, left pending, is taken over after the
 * visibility timeout (and dead-lettered as {@code abandoned} if that keeps happening). An entry that is not a task,
 * or whose payload does not fit the handler, is dead-lettered with the reason.
 */
final class TaskRunner {

	private static final Log logger = LogFactory.getLog(TaskRunner.class);

	private final String queue;

	private final TaskHandlers.Registration handler;

	private final TaskPayloads payloads;

	private final TaskQueueSettings settings;

	private final TaskQueueObserver observer;

	private final TaskOutcomes outcomes;

	private final BooleanSupplier running;

	TaskRunner(String queue, TaskHandlers.Registration handler, TaskPayloads payloads, TaskQueueSettings settings,
			TaskQueueObserver observer, TaskOutcomes outcomes, BooleanSupplier running) {
		this.queue = queue;
		this.handler = handler;
		this.payloads = payloads;
		this.settings = settings;
		this.observer = observer;
		this.outcomes = outcomes;
		this.running = running;
	}

	/**
	 * Run a batch of new entries; when the application stops half-way, hand those not started yet back to the
	 * queue, for the other workers.
	 */
	void runBatch(List<StringRecord> records) {
		this.outcomes.markStarted(records);
		TaskOutcomes.Successes successes = this.outcomes.successes();
		try {
			for (int i = 0; i < records.size(); i++) {
				if (!this.running.getAsBoolean()) {
					successes.flush();
					records.subList(i, records.size()).forEach(this.outcomes::release);
					return;
				}
				run(records.get(i).getId(), records.get(i).getValue(), 1, successes);
				successes.flushIfDue();
			}
		}
		finally {
			successes.flush();
		}
	}

	/**
	 * Run an entry taken over from another worker.
	 * @param deliveries how many times it has been delivered, this time included
	 */
	void runTakenOver(RecordId entry, Map<String, String> fields, long deliveries) {
		TaskOutcomes.Successes successes = this.outcomes.successes();
		try {
			run(entry, fields, deliveries, successes);
		}
		finally {
			successes.flush();
		}
	}

	private void run(RecordId entry, Map<String, String> fields, long deliveries, TaskOutcomes.Successes successes) {
		TaskFields task = this.outcomes.task(fields);
		if (task == null) {
			// Neither the names nor the values of its fields: they could be anything, a payload included.
			String problem = "not a task: " + this.outcomes.whyNotATask(fields) + " (fields: " + fields.size() + ")";
			recordOutcome(entry, () -> this.outcomes.deadLetterMalformed(entry, fields, problem));
			return;
		}
		long attempt = task.attempt() + deliveries - 1;
		if (deliveries > 1 && attempt > this.settings.maxAttempts()) {
			recordOutcome(entry, () -> this.outcomes.deadLetter(entry, task, "abandoned: delivered " + deliveries
					+ " times without an acknowledgement (the worker died, or the handler ran longer than the "
					+ "visibility timeout)", "abandoned"));
			return;
		}
		Object payload;
		try {
			payload = this.payloads.read(task.payload(), this.handler.payloadType());
		}
		catch (RuntimeException ex) {
			// TaskPayloads' own message never quotes the payload; another exception's might.
			String problem = (ex instanceof IllegalArgumentException) ? ex.getMessage() : ex.getClass().getName();
			recordOutcome(entry, () -> this.outcomes.deadLetter(entry, task, "poison: " + problem, "poison"));
			return;
		}
		TaskContext context = new TaskContext(task.id(), this.queue, (int) attempt, this.settings.maxAttempts());
		this.observer.started(this.queue);
		long started = System.nanoTime();
		String value;
		try {
			Object returned = this.handler.handle(payload, context);
			value = this.settings.storesResults() ? this.payloads.write(returned) : TaskOutcomes.NO_RESULT;
			clearInterruptUnlessStopping(false);
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError error && !(ex instanceof StackOverflowError)) {
				throw error;
			}
			clearInterruptUnlessStopping(ex instanceof InterruptedException);
			failed(entry, task, (int) attempt, Duration.ofNanos(System.nanoTime() - started), ex);
			return;
		}
		successes.add(entry, task, value);
		this.observer.succeeded(this.queue, Duration.ofNanos(System.nanoTime() - started));
	}

	/**
	 * A worker is only interrupted when the application stops (after {@code running} turned false). While it runs,
	 * an interrupt left by a handler (the usual {@code catch (InterruptedException ex)} that sets the flag again
	 * before it throws) is the handler's own: cleared, or it would fail every Redis command of the worker (the
	 * attempt's outcome, the next read) and end it. While stopping, it is kept, so the worker stops.
	 * @param interrupted whether the handler threw an {@link InterruptedException} (which cleared the flag)
	 */
	private void clearInterruptUnlessStopping(boolean interrupted) {
		boolean flagged = Thread.interrupted() || interrupted;
		if (flagged && !this.running.getAsBoolean()) {
			Thread.currentThread().interrupt();
		}
	}

	private void failed(RecordId entry, TaskFields task, int attempt, Duration processing, Throwable failure) {
		String error = ErrorTexts.storable(ErrorTexts.describe(failure));
		boolean retried = attempt < this.settings.maxAttempts();
		this.observer.failed(this.queue, processing, retried);
		if (retried) {
			recordOutcome(entry, () -> this.outcomes.retry(entry, task, attempt, error));
		}
		else {
			recordOutcome(entry, () -> this.outcomes.deadLetter(entry, task, error, "failed"));
		}
	}

	/**
	 * Record an outcome; when its script fails (a wrong type, a script error, out of memory), the task stays
	 * pending and is taken over after the visibility timeout, and the batch goes on. A server out of reach is an
	 * outage, for the worker's loop.
	 */
	private void recordOutcome(RecordId entry, Runnable outcome) {
		try {
			outcome.run();
		}
		catch (RuntimeException ex) {
			if (RedisErrors.isUnreachable(ex)) {
				throw ex;
			}
			logger.warn("Could not record the outcome of entry " + entry.getValue() + " of queue '" + this.queue
					+ "' (" + ErrorTexts.loggable(RedisErrors.describe(ex)) + "); it stays pending and is taken over "
					+ "after the visibility timeout (" + this.settings.visibilityTimeout() + ")");
		}
	}

}
