package dev.haredis.queue;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisStreamCommands.TrimOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XTrimOptions;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Keeps the streams of one queue within their bounds: trims the entries every consumer has acknowledged from the
 * queue's stream, and drops the oldest dead letters beyond {@code dead-letter-max-length}. Two housekeeping steps.
 */
final class StreamTrimming {

	private static final Log logger = LogFactory.getLog(StreamTrimming.class);

	private final String queue;

	private final TaskQueueSettings settings;

	private final StringRedisTemplate redis;

	private final TaskQueueObserver observer;

	private final String stream;

	private final String deadLetterQueue;

	private final String deadLetterStream;

	private boolean deadLettersBounded;

	StreamTrimming(String queue, TaskQueueSettings settings, StringRedisTemplate redis, TaskQueueObserver observer) {
		this.queue = queue;
		this.settings = settings;
		this.redis = redis;
		this.observer = observer;
		QueueKeys keys = QueueKeys.of(settings);
		this.stream = keys.stream(queue);
		this.deadLetterQueue = keys.deadLetterQueue(queue);
		this.deadLetterStream = keys.stream(this.deadLetterQueue);
	}

	/**
	 * Trim entries every consumer has acknowledged, once the stream is longer than its maximum length: those
	 * older than both the group's last delivered entry and its oldest pending one. Unprocessed tasks are never
	 * trimmed.
	 */
	void trimAcknowledged() {
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
	void boundDeadLetters() {
		Long dropped = this.redis.opsForStream().trim(this.deadLetterStream, this.settings.deadLetterMaxLength(), true);
		if (dropped == null || dropped <= 0) {
			return;
		}
		this.observer.deadLettersDropped(this.queue, dropped);
		if (!this.deadLettersBounded) {
			this.deadLettersBounded = true;
			logger.warn("Dead-letter queue '" + this.deadLetterQueue + "' reached its bound ("
					+ this.settings.deadLetterMaxLength() + " entries, ha.redis.queue.dead-letter-max-length): "
					+ "its oldest entries are dropped, counted by ha.redis.queue.dead.letters.dropped");
		}
	}

}
