package dev.haredis.queue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStreamCommands.TrimOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XClaimOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XPendingOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XTrimOptions;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.topology.RedisErrors;

/**
 * The housekeeping of one queue, done by its first worker between two reads, about once a second: moving due
 * retries back into the queue, taking over tasks left unacknowledged for longer than the visibility timeout,
 * trimming acknowledged entries, keeping the dead-letter queue within its bound, and reading the queue's state.
 * Each step fails on its own (logged once until it works again): a step that keeps failing never stops the others,
 * nor the worker's reads.
 */
final class QueueHousekeeping {

	private static final Log logger = LogFactory.getLog(QueueHousekeeping.class);

	private final String queue;

	private final String consumer;

	private final TaskQueueSettings settings;

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final TaskQueueObserver observer;

	private final Clock clock;

	private final TaskRunner runner;

	private final String stream;

	private final String deadLetterStream;

	private final Set<String> failingSteps = new HashSet<>();

	private long next;

	private boolean deadLettersBounded;

	QueueHousekeeping(String queue, String consumer, TaskQueueSettings settings, StringRedisTemplate redis,
			TaskQueueObserver observer, Clock clock, TaskRunner runner) {
		this.queue = queue;
		this.consumer = consumer;
		this.settings = settings;
		this.keys = QueueKeys.of(settings);
		this.redis = redis;
		this.observer = observer;
		this.clock = clock;
		this.runner = runner;
		this.stream = this.keys.stream(queue);
		this.deadLetterStream = this.keys.stream(this.keys.deadLetterQueue(queue));
	}

	/**
	 * Do the housekeeping if it is due.
	 */
	void runIfDue() {
		if (this.clock.millis() < this.next) {
			return;
		}
		this.next = this.clock.millis() + interval().toMillis();
		step("moving due retries", this::promoteDue);
		step("taking over abandoned tasks", this::takeOverAbandoned);
		step("trimming the stream", this::trim);
		step("bounding the dead-letter queue", this::boundDeadLetters);
		step("reading the queue's state", this::observe);
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
			if (!QueueWorker.isRedisFailure(ex) || RedisErrors.isUnreachable(ex)
					|| RedisErrors.describe(ex).contains("NOGROUP")) {
				throw ex;
			}
			if (this.failingSteps.add(name)) {
				logger.warn("Housekeeping of queue '" + this.queue + "' failed " + name + " ("
						+ ErrorTexts.loggable(RedisErrors.describe(ex)) + "); trying again in " + interval());
			}
		}
	}

	private void promoteDue() {
		List<?> moved = this.redis.execute(QueueScripts.PROMOTE_DUE,
				List.of(this.keys.delayed(this.queue), this.stream, this.deadLetterStream), now(),
				Integer.toString(this.settings.batchSize() * 10),
				"not a task: a delayed retry that is not a JSON array of field names and values",
				Long.toString(this.settings.deadLetterMaxLength()));
		long malformed = (moved != null && moved.size() > 1) ? ((Number) moved.get(1)).longValue() : 0;
		long dropped = (moved != null && moved.size() > 2) ? ((Number) moved.get(2)).longValue() : 0;
		for (long i = 0; i < malformed; i++) {
			this.observer.deadLettered(this.queue, "poison");
		}
		if (dropped > 0) {
			this.observer.deadLettersDropped(this.queue, dropped);
		}
		if (malformed > 0) {
			logger.warn(malformed + " delayed retr" + ((malformed == 1) ? "y" : "ies") + " of queue '" + this.queue
					+ "' moved to '" + this.keys.deadLetterQueue(this.queue) + "': not a task");
		}
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
		Set<RecordId> notClaimed = new LinkedHashSet<>(deliveries.keySet());
		for (ByteRecord record : (claimed != null) ? claimed : List.<ByteRecord>of()) {
			// Redis 6 answers nil for an entry deleted from the stream while pending (read as an entry without an
			// id or fields): it is found below.
			if (record.getValue() == null || record.getId().shouldBeAutoGenerated()) {
				continue;
			}
			notClaimed.remove(record.getId());
			logger.info("Took over task entry " + record.getId() + " of queue '" + this.queue + "', unacknowledged for "
					+ "longer than the visibility timeout (" + idle + ")");
			this.runner.runTakenOver(record.getId(), strings(record.getValue()),
					deliveries.getOrDefault(record.getId(), 2L));
		}
		notClaimed.forEach(this::acknowledgeIfDeleted);
	}

	/**
	 * Acknowledge a pending entry that is no longer in the stream (deleted, or trimmed by another tool): there is
	 * nothing left to run, and left pending it would be met again at every housekeeping. An entry another worker
	 * claimed first is still there, and left alone.
	 */
	private void acknowledgeIfDeleted(RecordId entry) {
		Range<String> only = Range.closed(entry.getValue(), entry.getValue());
		List<?> found = this.redis.opsForStream().range(this.stream, only);
		if (found != null && found.isEmpty()) {
			this.redis.opsForStream().acknowledge(this.stream, this.settings.group(), entry);
			logger.warn("Entry " + entry.getValue() + " of queue '" + this.queue + "' was pending but is no longer in "
					+ "the stream (deleted, or trimmed by another tool): acknowledged, with nothing to run");
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

	/**
	 * Drop the oldest dead letters beyond {@code dead-letter-max-length} ({@code XTRIM MAXLEN ~}, which removes
	 * whole nodes of the stream, so the queue may hold up to about a hundred more), counting those dropped from
	 * the command's own reply. The scripts that dead-letter keep the bound themselves; this step catches dead
	 * letters added otherwise (by another tool, or before the bound was lowered).
	 */
	private void boundDeadLetters() {
		Long dropped = this.redis.opsForStream()
			.trim(this.deadLetterStream, this.settings.deadLetterMaxLength(), true);
		if (dropped == null || dropped <= 0) {
			return;
		}
		this.observer.deadLettersDropped(this.queue, dropped);
		if (!this.deadLettersBounded) {
			this.deadLettersBounded = true;
			logger.warn("Dead-letter queue '" + this.keys.deadLetterQueue(this.queue) + "' reached its bound ("
					+ this.settings.deadLetterMaxLength() + " entries, ha.redis.queue.dead-letter-max-length): "
					+ "its oldest entries are dropped, counted by ha.redis.queue.dead.letters.dropped");
		}
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
		Long deadLetters = this.redis.opsForStream().size(this.deadLetterStream);
		this.observer.observed(new QueueState(this.queue, waiting,
				(summary != null) ? summary.getTotalPendingMessages() : 0,
				(oldest != null && !oldest.isEmpty()) ? oldest.get(0).getElapsedTimeSinceLastDelivery() : null,
				(delayed != null) ? delayed : 0, (deadLetters != null) ? deadLetters : 0, this.clock.instant()));
	}

	private Duration interval() {
		Duration quarter = this.settings.visibilityTimeout().dividedBy(4);
		return (quarter.compareTo(Duration.ofSeconds(1)) < 0) ? quarter : Duration.ofSeconds(1);
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

}
