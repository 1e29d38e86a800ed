package dev.haredis.queue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.TrimOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XClaimOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XPendingOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XTrimOptions;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StringRecord;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.support.BackgroundThreads;
import dev.haredis.topology.RedisErrors;

/**
 * One worker of one queue, on its own thread: reads tasks with {@code XREADGROUP} on a connection of its own (the
 * read blocks), runs the handler, and acknowledges, retries or dead-letters each task in one script. The first
 * worker of a queue also does its housekeeping: moving due retries back into the queue, taking over tasks left
 * unacknowledged for longer than the visibility timeout, and trimming acknowledged entries.
 */
final class QueueWorker implements Runnable {

	private static final Log logger = LogFactory.getLog(QueueWorker.class);

	private static final Duration FIRST_BACK_OFF = Duration.ofMillis(50);

	/**
	 * The value that leaves a task's result alone (a real value is JSON, never empty).
	 */
	private static final String NO_RESULT = "";

	private static final Duration LONGEST_BACK_OFF = Duration.ofSeconds(1);

	private final String queue;

	private final String consumer;

	private final boolean housekeeping;

	private final TaskHandlers.Registration handler;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final TaskPayloads payloads;

	private final TaskQueueSettings settings;

	private final QueueKeys keys;

	private final TaskQueueObserver observer;

	private final Clock clock;

	private final BooleanSupplier running;

	private final String stream;

	private final String resultTtl;

	private long nextHousekeeping;

	private @Nullable String outage;

	QueueWorker(String queue, String consumer, boolean housekeeping, TaskHandlers.Registration handler,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, TaskPayloads payloads,
			TaskQueueSettings settings, TaskQueueObserver observer, Clock clock, BooleanSupplier running) {
		this.queue = queue;
		this.consumer = consumer;
		this.housekeeping = housekeeping;
		this.handler = handler;
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.payloads = payloads;
		this.settings = settings;
		this.keys = new QueueKeys(settings.keyPrefix(), settings.deadLetterQueue());
		this.observer = observer;
		this.clock = clock;
		this.running = running;
		this.stream = this.keys.stream(queue);
		this.resultTtl = Long.toString(settings.storesResults() ? settings.resultTtl().toMillis() : 0);
	}

	@Override
	public void run() {
		StringRedisConnection connection = null;
		Duration backOff = FIRST_BACK_OFF;
		while (this.running.getAsBoolean()) {
			try {
				if (connection == null) {
					connection = new DefaultStringRedisConnection(this.connectionFactory.getConnection());
				}
				if (this.housekeeping && this.clock.millis() >= this.nextHousekeeping) {
					this.nextHousekeeping = this.clock.millis() + housekeepingInterval().toMillis();
					housekeeping();
				}
				List<StringRecord> records = connection.xReadGroupAsString(
						Consumer.from(this.settings.group(), this.consumer),
						StreamReadOptions.empty()
							.count(this.settings.batchSize())
							.block(this.settings.blockTimeout()),
						StreamOffset.create(this.stream, ReadOffset.lastConsumed()));
				recovered();
				backOff = FIRST_BACK_OFF;
				if (records != null && !records.isEmpty()) {
					processBatch(records);
				}
			}
			catch (RuntimeException ex) {
				if (!this.running.getAsBoolean()) {
					break;
				}
				String reason = RedisErrors.describe(ex);
				if (reason.contains("NOGROUP")) {
					// The stream or the group is missing: a new queue, or a promoted replica that had not received
					// them. Create it from the first entry, so no task already in the stream is skipped.
					createGroup(this.redis, this.stream, this.settings.group());
					continue;
				}
				failed(reason);
				closeQuietly(connection);
				connection = null;
				if (!BackgroundThreads.pause(backOff)) {
					break;
				}
				backOff = (backOff.compareTo(LONGEST_BACK_OFF.dividedBy(2)) < 0) ? backOff.multipliedBy(2)
						: LONGEST_BACK_OFF;
			}
		}
		closeQuietly(connection);
	}

	private void processBatch(List<StringRecord> records) {
		markStarted(records);
		Successes successes = new Successes();
		try {
			for (int i = 0; i < records.size(); i++) {
				if (!this.running.getAsBoolean()) {
					// Shutting down: hand the tasks not started yet to the other workers at once.
					successes.flush();
					records.subList(i, records.size()).forEach(this::release);
					return;
				}
				process(records.get(i).getId(), records.get(i).getValue(), 1, successes);
				successes.flushIfDue();
			}
		}
		finally {
			successes.flush();
		}
	}

	private void process(RecordId entry, Map<String, String> fields, long deliveries) {
		Successes successes = new Successes();
		try {
			process(entry, fields, deliveries, successes);
		}
		finally {
			successes.flush();
		}
	}

	private void process(RecordId entry, Map<String, String> fields, long deliveries, Successes successes) {
		TaskFields task = TaskFields.read(fields);
		if (task == null) {
			deadLetter(entry, malformed(fields), "not a task (no id or payload, or a malformed attempt): " + fields.keySet(),
					"poison");
			return;
		}
		int attempt = (int) (task.attempt() + deliveries - 1);
		if (deliveries > 1 && attempt > this.settings.maxAttempts()) {
			deadLetter(entry, task, "abandoned: delivered " + deliveries + " times without an acknowledgement (the "
					+ "worker died, or the handler ran longer than the visibility timeout)", "abandoned");
			return;
		}
		Object payload;
		try {
			payload = this.payloads.read(task.payload(), this.handler.payloadType());
		}
		catch (IllegalArgumentException ex) {
			deadLetter(entry, task, "poison: " + ex.getMessage(), "poison");
			return;
		}
		this.observer.started(this.queue);
		long started = System.nanoTime();
		Object value;
		try {
			value = this.handler.handle(payload,
					new TaskContext(task.id(), this.queue, attempt, this.settings.maxAttempts()));
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			Duration processing = Duration.ofNanos(System.nanoTime() - started);
			String error = TaskResult.storable(ex.getClass().getName() + ": " + ex.getMessage());
			if (attempt < this.settings.maxAttempts()) {
				retry(entry, task, attempt, error);
				this.observer.failed(this.queue, processing, true);
			}
			else {
				this.observer.failed(this.queue, processing, false);
				deadLetter(entry, task, error, "failed");
			}
			return;
		}
		successes.add(entry, task, this.settings.storesResults() ? this.payloads.write(value) : NO_RESULT);
		this.observer.succeeded(this.queue, Duration.ofNanos(System.nanoTime() - started));
	}

	private void retry(RecordId entry, TaskFields task, int attempt, String error) {
		long enqueuedAt = (task.enqueuedAt() > 0) ? task.enqueuedAt() : RecordIds.millis(entry.getValue());
		TaskFields next = new TaskFields(task.id(), task.payload(), attempt + 1, enqueuedAt, task.error());
		long due = this.clock.millis() + this.settings.backOff().delayAfter(attempt).toMillis();
		this.redis.execute(QueueScripts.ACK_RETRY,
				List.of(this.stream, this.keys.delayed(this.queue), this.keys.result(task.id())), this.settings.group(),
				entry.getValue(), resultTtl(task), now(), Long.toString(due), error,
				this.payloads.write(next.flat()));
	}

	private void deadLetter(RecordId entry, TaskFields task, String problem, String reason) {
		String error = TaskResult.storable(problem);
		List<Object> args = new ArrayList<>(
				List.of(this.settings.group(), entry.getValue(), resultTtl(task), now(), error));
		args.addAll(task.failedWith(error).flat());
		this.redis.execute(QueueScripts.ACK_DEAD_LETTER,
				List.of(this.stream, this.keys.stream(this.keys.deadLetterQueue(this.queue)), this.keys.result(task.id())),
				args.toArray());
		this.observer.deadLettered(this.queue, reason);
		logger.warn("Task " + task.id() + " of queue '" + this.queue + "' moved to '"
				+ this.keys.deadLetterQueue(this.queue) + "': " + error);
	}

	private void release(StringRecord record) {
		TaskFields task = TaskFields.read(record.getValue());
		if (task == null) {
			return;
		}
		List<Object> args = new ArrayList<>(List.of(this.settings.group(), record.getId().getValue()));
		args.addAll(task.flat());
		this.redis.execute(QueueScripts.RELEASE, List.of(this.stream), args.toArray());
	}

	private void markStarted(List<StringRecord> records) {
		if (!this.settings.storesResults() || !this.settings.trackStarted()) {
			return;
		}
		List<String> results = new ArrayList<>();
		for (StringRecord record : records) {
			String id = record.getValue().get(TaskFields.ID);
			if (id != null && !record.getValue().containsKey(TaskFields.ERROR)) {
				results.add(this.keys.result(id));
			}
		}
		if (!results.isEmpty()) {
			this.redis.execute(QueueScripts.MARK_STARTED, results, this.resultTtl, now());
		}
	}

	/**
	 * Acknowledges the tasks whose handler returned, several in one script: at the end of a batch, or sooner when
	 * the first of them has waited {@link #ACK_DELAY}. A worker dying meanwhile leaves them pending, to be run
	 * again after the visibility timeout: at least once, never lost.
	 */
	private final class Successes {

		private static final long ACK_DELAY_NANOS = Duration.ofMillis(100).toNanos();

		private final List<String> keys = new ArrayList<>();

		private final List<Object> args = new ArrayList<>();

		/** Without results, a plain XACK of the entries: no script, no result keys. */
		private final List<RecordId> entries = new ArrayList<>();

		private long firstAt;

		void add(RecordId entry, TaskFields task, String value) {
			if (!QueueWorker.this.settings.storesResults()) {
				if (this.entries.isEmpty()) {
					this.firstAt = System.nanoTime();
				}
				this.entries.add(entry);
				return;
			}
			if (this.keys.isEmpty()) {
				this.keys.add(QueueWorker.this.stream);
				this.args.add(QueueWorker.this.settings.group());
				this.args.add(QueueWorker.this.resultTtl);
				this.args.add(now());
				this.firstAt = System.nanoTime();
			}
			this.keys.add(QueueWorker.this.keys.result(task.id()));
			this.args.add(entry.getValue());
			// A dead letter's result stays that of the task that failed: its handler's outcome is not the task's.
			this.args.add((task.error() != null) ? NO_RESULT : value);
		}

		void flushIfDue() {
			boolean any = !this.keys.isEmpty() || !this.entries.isEmpty();
			if (any && System.nanoTime() - this.firstAt > ACK_DELAY_NANOS) {
				flush();
			}
		}

		void flush() {
			if (!this.entries.isEmpty()) {
				try {
					QueueWorker.this.redis.opsForStream()
						.acknowledge(QueueWorker.this.stream, QueueWorker.this.settings.group(),
								this.entries.toArray(RecordId[]::new));
				}
				finally {
					this.entries.clear();
				}
			}
			if (this.keys.isEmpty()) {
				return;
			}
			try {
				QueueWorker.this.redis.execute(QueueScripts.ACK_SUCCESSES, this.keys, this.args.toArray());
			}
			finally {
				this.keys.clear();
				this.args.clear();
			}
		}

	}

	/**
	 * Move due retries into the queue, take over abandoned tasks, trim acknowledged entries.
	 */
	private void housekeeping() {
		this.redis.execute(QueueScripts.PROMOTE_DUE, List.of(this.keys.delayed(this.queue), this.stream), now(),
				Integer.toString(this.settings.batchSize() * 10));
		takeOverAbandoned();
		trim();
		observe();
	}

	private void observe() {
		Long waiting = null;
		for (XInfoGroup group : this.redis.opsForStream().groups(this.stream)) {
			if (this.settings.group().equals(group.groupName()) && group.getRaw().get("lag") instanceof Number lag) {
				waiting = lag.longValue();
			}
		}
		byte[] key = bytes(this.stream);
		PendingMessages oldest = this.redis.execute((RedisCallback<PendingMessages>) (connection) -> connection
			.streamCommands()
			.xPending(key, this.settings.group(), XPendingOptions.range(Range.unbounded(), 1L)));
		PendingMessagesSummary summary = this.redis.opsForStream().pending(this.stream, this.settings.group());
		Long delayed = this.redis.opsForZSet().zCard(this.keys.delayed(this.queue));
		Long deadLetters = this.redis.opsForStream().size(this.keys.stream(this.keys.deadLetterQueue(this.queue)));
		this.observer.observed(new QueueState(this.queue, waiting,
				(summary != null) ? summary.getTotalPendingMessages() : 0,
				(oldest != null && !oldest.isEmpty()) ? oldest.get(0).getElapsedTimeSinceLastDelivery() : null,
				(delayed != null) ? delayed : 0, (deadLetters != null) ? deadLetters : 0, this.clock.instant()));
	}

	private void takeOverAbandoned() {
		byte[] key = bytes(this.stream);
		Duration idle = this.settings.visibilityTimeout();
		PendingMessages pending = this.redis.execute((RedisCallback<PendingMessages>) (connection) -> connection
			.streamCommands()
			.xPending(key, this.settings.group(),
					XPendingOptions.range(Range.unbounded(), (long) this.settings.batchSize()).minIdleTime(idle)));
		if (pending == null || pending.isEmpty()) {
			return;
		}
		Map<RecordId, Long> deliveries = new LinkedHashMap<>();
		for (PendingMessage message : pending) {
			deliveries.put(message.getId(), message.getTotalDeliveryCount() + 1);
		}
		// XCLAIM with the same minimum idle time: of two workers racing, only one gets each task.
		List<ByteRecord> claimed = this.redis.execute((RedisCallback<List<ByteRecord>>) (connection) -> connection
			.streamCommands()
			.xClaim(key, this.settings.group(), this.consumer,
					XClaimOptions.minIdle(idle).ids(deliveries.keySet().toArray(RecordId[]::new))));
		if (claimed == null) {
			return;
		}
		for (ByteRecord record : claimed) {
			logger.info("Took over task entry " + record.getId() + " of queue '" + this.queue + "', unacknowledged for "
					+ "longer than the visibility timeout (" + idle + ")");
			process(record.getId(), strings(record.getValue()), deliveries.getOrDefault(record.getId(), 2L));
		}
	}

	/**
	 * Trim entries every consumer has acknowledged, once the stream is longer than its maximum length: those
	 * older than both the group's last delivered entry and its oldest pending one. Unprocessed tasks are never
	 * trimmed.
	 */
	private void trim() {
		Long length = this.redis.opsForStream().size(this.stream);
		if (length == null || length <= this.settings.maxLength()) {
			return;
		}
		String safe = null;
		for (XInfoGroup group : this.redis.opsForStream().groups(this.stream)) {
			if (this.settings.group().equals(group.groupName())) {
				safe = group.lastDeliveredId();
			}
		}
		if (safe == null) {
			return;
		}
		PendingMessagesSummary summary = this.redis.opsForStream().pending(this.stream, this.settings.group());
		if (summary != null && summary.getTotalPendingMessages() > 0) {
			String oldestPending = summary.minMessageId();
			if (RecordIds.compare(oldestPending, safe) < 0) {
				safe = oldestPending;
			}
		}
		RecordId minId = RecordId.of(safe);
		this.redis.opsForStream().trim(this.stream, XTrimOptions.trim(TrimOptions.minId(minId).approximate()));
	}

	private Duration housekeepingInterval() {
		Duration quarter = this.settings.visibilityTimeout().dividedBy(4);
		return (quarter.compareTo(Duration.ofSeconds(1)) < 0) ? quarter : Duration.ofSeconds(1);
	}

	static void createGroup(StringRedisTemplate redis, String stream, String group) {
		try {
			redis.opsForStream().createGroup(stream, ReadOffset.from("0"), group);
		}
		catch (RuntimeException ex) {
			if (!RedisErrors.describe(ex).contains("BUSYGROUP")) {
				throw ex;
			}
		}
	}

	private void failed(String reason) {
		if (this.outage == null) {
			this.outage = reason;
			logger.warn("Worker " + this.consumer + " of queue '" + this.queue + "' cannot read tasks (" + reason
					+ "); retrying with back-off");
		}
	}

	private void recovered() {
		if (this.outage != null) {
			this.outage = null;
			logger.info("Worker " + this.consumer + " of queue '" + this.queue + "' reads tasks again");
		}
	}

	private TaskFields malformed(Map<String, String> fields) {
		String id = fields.getOrDefault(TaskFields.ID, "unknown");
		return new TaskFields(id, fields.getOrDefault(TaskFields.PAYLOAD, ""), 1, 0, null);
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

	private static Map<String, String> strings(Map<byte[], byte[]> fields) {
		Map<String, String> strings = new LinkedHashMap<>();
		fields.forEach((name, value) -> strings.put(new String(name, StandardCharsets.UTF_8),
				new String(value, StandardCharsets.UTF_8)));
		return strings;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static void closeQuietly(@Nullable StringRedisConnection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Already broken.
			}
		}
	}

}
