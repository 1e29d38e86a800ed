package dev.haredis.queue;

import java.time.Clock;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads how one queue stands (tasks waiting, pending and for how long the oldest, delayed, dead-lettered) and tells
 * the observers, for the health and the gauges. A housekeeping step.
 */
final class QueueObservation implements Runnable {

	private final String queue;

	private final TaskQueueSettings settings;

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final TaskQueueObserver observer;

	private final Clock clock;

	QueueObservation(String queue, TaskQueueSettings settings, StringRedisTemplate redis, TaskQueueObserver observer,
			Clock clock) {
		this.queue = queue;
		this.settings = settings;
		this.keys = QueueKeys.of(settings);
		this.redis = redis;
		this.observer = observer;
		this.clock = clock;
	}

	@Override
	public void run() {
		String stream = this.keys.stream(this.queue);
		String group = this.settings.group();
		Long waiting = null;
		for (XInfoGroup info : this.redis.opsForStream().groups(stream)) {
			if (group.equals(info.groupName()) && info.getRaw().get("lag") instanceof Number lag) {
				waiting = lag.longValue();
			}
		}
		PendingMessages oldest = this.redis.opsForStream().pending(stream, group, Range.unbounded(), 1L);
		PendingMessagesSummary summary = this.redis.opsForStream().pending(stream, group);
		Long delayed = this.redis.opsForZSet().zCard(this.keys.delayed(this.queue));
		Long deadLetters = this.redis.opsForStream().size(this.keys.stream(this.keys.deadLetterQueue(this.queue)));
		this.observer.observed(new QueueState(this.queue, waiting,
				(summary != null) ? summary.getTotalPendingMessages() : 0,
				(oldest != null && !oldest.isEmpty()) ? oldest.get(0).getElapsedTimeSinceLastDelivery() : null,
				(delayed != null) ? delayed : 0, (deadLetters != null) ? deadLetters : 0, this.clock.instant()));
	}

}
