package dev.haredis.queue;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.StreamOperations;

/**
 * Reads how one queue stands (tasks waiting, pending and for how long the oldest, delayed, dead-lettered) and tells
 * the observers, for the health and the gauges. A housekeeping step.
 */
final class QueueObservation implements Runnable {

	private final HousekeptQueue queue;

	QueueObservation(HousekeptQueue queue) {
		this.queue = queue;
	}

	@Override
	public void run() {
		StreamOperations<String, Object, Object> streams = this.queue.redis().opsForStream();
		String stream = this.queue.stream();
		String group = this.queue.settings().group();
		Long waiting = null;
		for (XInfoGroup info : streams.groups(stream)) {
			if (group.equals(info.groupName()) && info.getRaw().get("lag") instanceof Number lag) {
				waiting = lag.longValue();
			}
		}
		PendingMessages oldest = streams.pending(stream, group, Range.unbounded(), 1L);
		PendingMessagesSummary summary = streams.pending(stream, group);
		Long delayed = this.queue.redis().opsForZSet().zCard(this.queue.delayed());
		Long deadLetters = streams.size(this.queue.deadLetterStream());
		this.queue.observer()
			.observed(new QueueState(this.queue.name(), waiting,
					(summary != null) ? summary.getTotalPendingMessages() : 0,
					(oldest != null && !oldest.isEmpty()) ? oldest.get(0).getElapsedTimeSinceLastDelivery() : null,
					(delayed != null) ? delayed : 0, (deadLetters != null) ? deadLetters : 0,
					this.queue.clock().instant()));
	}

}
