package dev.haredis.queue;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisStreamCommands.TrimOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XTrimOptions;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.StreamOperations;

/**
 * Keeps the streams of one queue within their bounds: trims the entries every consumer has acknowledged from the
 * queue's stream, and drops the oldest dead letters beyond {@code dead-letter-max-length}. Two housekeeping steps.
 */
final class StreamTrimming {

	private static final Log logger = LogFactory.getLog(StreamTrimming.class);

	private final HousekeptQueue queue;

	private boolean deadLettersBounded;

	StreamTrimming(HousekeptQueue queue) {
		this.queue = queue;
	}

	/**
	 * Trim entries every consumer has acknowledged, once the stream is longer than its maximum length: those
	 * older than both the group's last delivered entry and its oldest pending one. Unprocessed tasks are never
	 * trimmed.
	 */
	void trimAcknowledged() {
		StreamOperations<String, Object, Object> streams = this.queue.redis().opsForStream();
		String stream = this.queue.stream();
		String group = this.queue.settings().group();
		Long length = streams.size(stream);
		if (length == null || length <= this.queue.settings().maxLength()) {
			return;
		}
		String safe = null;
		for (XInfoGroup info : streams.groups(stream)) {
			if (group.equals(info.groupName())) {
				safe = info.lastDeliveredId();
			}
		}
		if (safe == null) {
			return;
		}
		PendingMessagesSummary summary = streams.pending(stream, group);
		if (summary != null && summary.getTotalPendingMessages() > 0) {
			String oldestPending = summary.minMessageId();
			if (RecordIds.compare(oldestPending, safe) < 0) {
				safe = oldestPending;
			}
		}
		RecordId minId = RecordId.of(safe);
		streams.trim(stream, XTrimOptions.trim(TrimOptions.minId(minId).approximate()));
	}

	/**
	 * Drop the oldest dead letters beyond {@code dead-letter-max-length} ({@code XTRIM MAXLEN ~}, which removes
	 * whole nodes of the stream, so the queue may hold up to about a hundred more), counting those dropped from
	 * the command's own reply. The scripts that dead-letter keep the bound themselves; this step catches dead
	 * letters added otherwise (by another tool, or before the bound was lowered).
	 */
	void boundDeadLetters() {
		long bound = this.queue.settings().deadLetterMaxLength();
		Long dropped = this.queue.redis().opsForStream().trim(this.queue.deadLetterStream(), bound, true);
		if (dropped == null || dropped <= 0) {
			return;
		}
		this.queue.observer().deadLettersDropped(this.queue.name(), dropped);
		if (!this.deadLettersBounded) {
			this.deadLettersBounded = true;
			logger.warn("Dead-letter queue '" + this.queue.deadLetterQueue() + "' reached its bound (" + bound
					+ " entries, ha.redis.queue.dead-letter-max-length): its oldest entries are dropped, counted by "
					+ "ha.redis.queue.dead.letters.dropped");
		}
	}

}
