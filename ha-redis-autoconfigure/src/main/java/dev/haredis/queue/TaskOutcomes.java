package dev.haredis.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StringRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Records what became of the tasks of one queue, each in one script: acknowledged with their result, scheduled for
 * a retry, dead-lettered, or handed back. Each script writes where the task goes before it acknowledges it, so an
 * error half-way leaves the task pending (to be taken over after the visibility timeout), never lost.
 */
final class TaskOutcomes {

	private static final Log logger = LogFactory.getLog(TaskOutcomes.class);

	/**
	 * The value that leaves a task's result alone (a real value is JSON, never empty).
	 */
	static final String NO_RESULT = "";

	/**
	 * The most fields of an entry that is not a task kept in its dead letter (a task has at most five).
	 */
	private static final int MALFORMED_FIELDS_KEPT = 32;

	/**
	 * The field of a dead letter that names the entry it came from, when that was not a task.
	 */
	static final String ENTRY = "entry";

	private final String queue;

	private final TaskQueueSettings settings;

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final TaskPayloads payloads;

	private final TaskQueueObserver observer;

	private final Clock clock;

	private final String stream;

	private final String deadLetterStream;

	private final String resultTtl;

	private final String deadLetterMaxLength;

	TaskOutcomes(String queue, TaskQueueSettings settings, StringRedisTemplate redis, TaskPayloads payloads,
			TaskQueueObserver observer, Clock clock) {
		this.queue = queue;
		this.settings = settings;
		this.keys = QueueKeys.of(settings);
		this.redis = redis;
		this.payloads = payloads;
		this.observer = observer;
		this.clock = clock;
		this.stream = this.keys.stream(queue);
		this.deadLetterStream = this.keys.stream(this.keys.deadLetterQueue(queue));
		this.resultTtl = Long.toString(settings.storesResults() ? settings.resultTtl().toMillis() : 0);
		this.deadLetterMaxLength = Long.toString(settings.deadLetterMaxLength());
	}

	void retry(RecordId entry, TaskFields task, int attempt, String error) {
		long enqueuedAt = (task.enqueuedAt() > 0) ? task.enqueuedAt() : RecordIds.millis(entry.getValue());
		TaskFields next = new TaskFields(task.id(), task.payload(), attempt + 1, enqueuedAt, task.error());
		long due = this.clock.millis() + this.settings.backOff().delayAfter(attempt).toMillis();
		this.redis.execute(QueueScripts.ACK_RETRY,
				List.of(this.stream, this.keys.delayed(this.queue), this.keys.result(task.id())), this.settings.group(),
				entry.getValue(), resultTtl(task), now(), Long.toString(due), error, this.payloads.write(next.flat()));
	}

	void deadLetter(RecordId entry, TaskFields task, String problem, String reason) {
		String error = ErrorTexts.storable(problem);
		List<Object> args = new ArrayList<>(List.of(this.settings.group(), entry.getValue(), resultTtl(task), now(),
				error, this.deadLetterMaxLength));
		args.addAll(task.failedWith(error).flat());
		dropped(this.redis.execute(QueueScripts.ACK_DEAD_LETTER,
				List.of(this.stream, this.deadLetterStream, this.keys.result(task.id())), args.toArray()));
		this.observer.deadLettered(this.queue, reason);
		logger.warn("Task " + task.id() + " of queue '" + this.queue + "' moved to '"
				+ this.keys.deadLetterQueue(this.queue) + "': " + ErrorTexts.loggable(error));
	}

	/**
	 * Dead-letter an entry that is not a task, with its fields as they are (so it can be inspected), its entry id
	 * and why. No result is written: its id, if any, is not to be trusted.
	 */
	void deadLetterMalformed(RecordId entry, Map<String, String> fields, String problem) {
		String error = ErrorTexts.storable(problem);
		Map<String, String> kept = new LinkedHashMap<>();
		fields.forEach((name, value) -> {
			if (kept.size() < MALFORMED_FIELDS_KEPT && !name.equals(TaskFields.ERROR) && !name.equals(ENTRY)) {
				kept.put(name, value);
			}
		});
		kept.put(ENTRY, entry.getValue());
		kept.put(TaskFields.ERROR, error);
		List<Object> args = new ArrayList<>(
				List.of(this.settings.group(), entry.getValue(), "0", now(), error, this.deadLetterMaxLength));
		kept.forEach((name, value) -> {
			args.add(name);
			args.add(value);
		});
		dropped(this.redis.execute(QueueScripts.ACK_DEAD_LETTER,
				List.of(this.stream, this.deadLetterStream, this.deadLetterStream), args.toArray()));
		this.observer.deadLettered(this.queue, "poison");
		logger.warn("Entry " + entry.getValue() + " of queue '" + this.queue + "' moved to '"
				+ this.keys.deadLetterQueue(this.queue) + "': " + ErrorTexts.loggable(error));
	}

	/**
	 * Count the old dead letters a script dropped to keep the dead-letter queue within its bound.
	 */
	private void dropped(@Nullable Long dropped) {
		if (dropped != null && dropped > 0) {
			this.observer.deadLettersDropped(this.queue, dropped);
		}
	}

	/**
	 * Put an entry read but not started back at the end of the queue, so that another worker takes it at once.
	 */
	void release(StringRecord record) {
		TaskFields task = TaskFields.read(record.getValue());
		if (task == null) {
			return;
		}
		List<Object> args = new ArrayList<>(List.of(this.settings.group(), record.getId().getValue()));
		args.addAll(task.flat());
		this.redis.execute(QueueScripts.RELEASE, List.of(this.stream), args.toArray());
	}

	/**
	 * Read an entry of this queue as a task.
	 * @param fields the entry
	 * @return the task, or {@code null} when it is none, or none this queue can handle (see {@link #whyNotATask})
	 */
	@Nullable TaskFields task(Map<String, String> fields) {
		TaskFields task = TaskFields.read(fields);
		return (task != null && this.keys.whyNotOfQueue(this.queue, task.id()) == null) ? task : null;
	}

	/**
	 * Say why an entry of this queue is not a task it can handle.
	 * @param fields the entry
	 * @return why not, or {@code null} when it is one
	 */
	@Nullable String whyNotATask(Map<String, String> fields) {
		String why = TaskFields.whyNotATask(fields);
		return (why != null) ? why : this.keys.whyNotOfQueue(this.queue, fields.get(TaskFields.ID));
	}

	void markStarted(List<StringRecord> records) {
		if (!this.settings.storesResults() || !this.settings.trackStarted()) {
			return;
		}
		List<String> results = new ArrayList<>();
		for (StringRecord record : records) {
			TaskFields task = task(record.getValue());
			if (task != null && task.error() == null) {
				results.add(this.keys.result(task.id()));
			}
		}
		if (!results.isEmpty()) {
			this.redis.execute(QueueScripts.MARK_STARTED, results, this.resultTtl, now());
		}
	}

	Successes successes() {
		return new Successes();
	}

	/**
	 * A dead letter (an entry with an error) keeps the result of the task that failed: its handler's outcome is not
	 * the task's.
	 */
	private String resultTtl(TaskFields task) {
		return (task.error() != null) ? "0" : this.resultTtl;
	}

	private String now() {
		return Long.toString(this.clock.millis());
	}

	/**
	 * Acknowledges the tasks whose handler returned, several in one script: at the end of a batch, or sooner when
	 * the first of them has waited {@link #ACK_DELAY_NANOS}. A worker dying meanwhile leaves them pending, to be run
	 * again after the visibility timeout: at least once, never lost.
	 */
	final class Successes {

		private static final long ACK_DELAY_NANOS = Duration.ofMillis(100).toNanos();

		private final List<String> resultKeys = new ArrayList<>();

		private final List<Object> args = new ArrayList<>();

		/** Without results, a plain XACK of the entries: no script, no result keys. */
		private final List<RecordId> entries = new ArrayList<>();

		private long firstAt;

		void add(RecordId entry, TaskFields task, String value) {
			TaskOutcomes outcomes = TaskOutcomes.this;
			if (!outcomes.settings.storesResults()) {
				if (this.entries.isEmpty()) {
					this.firstAt = System.nanoTime();
				}
				this.entries.add(entry);
				return;
			}
			if (this.resultKeys.isEmpty()) {
				this.resultKeys.add(outcomes.stream);
				this.args.add(outcomes.settings.group());
				this.args.add(outcomes.resultTtl);
				this.args.add(now());
				this.firstAt = System.nanoTime();
			}
			this.resultKeys.add(outcomes.keys.result(task.id()));
			this.args.add(entry.getValue());
			// A dead letter's result stays that of the task that failed: its handler's outcome is not the task's.
			this.args.add((task.error() != null) ? NO_RESULT : value);
		}

		void flushIfDue() {
			boolean any = !this.resultKeys.isEmpty() || !this.entries.isEmpty();
			if (any && System.nanoTime() - this.firstAt > ACK_DELAY_NANOS) {
				flush();
			}
		}

		void flush() {
			TaskOutcomes outcomes = TaskOutcomes.this;
			if (!this.entries.isEmpty()) {
				try {
					outcomes.redis.opsForStream()
						.acknowledge(outcomes.stream, outcomes.settings.group(), this.entries.toArray(RecordId[]::new));
				}
				finally {
					this.entries.clear();
				}
			}
			if (this.resultKeys.isEmpty()) {
				return;
			}
			try {
				outcomes.redis.execute(QueueScripts.ACK_SUCCESSES, this.resultKeys, this.args.toArray());
			}
			finally {
				this.resultKeys.clear();
				this.args.clear();
			}
		}

	}

}
