package dev.haredis.queue;

import java.time.Clock;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Moves the due retries of one queue from its sorted set of delayed tasks back into its stream, in one script
 * ({@link QueueScripts#PROMOTE_DUE}), which dead-letters a delayed entry that is not a task. A housekeeping step.
 */
final class DueRetries implements Runnable {

	private static final Log logger = LogFactory.getLog(DueRetries.class);

	private final String queue;

	private final TaskQueueSettings settings;

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final TaskQueueObserver observer;

	private final Clock clock;

	DueRetries(String queue, TaskQueueSettings settings, StringRedisTemplate redis, TaskQueueObserver observer,
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
		List<?> moved = this.redis.execute(QueueScripts.PROMOTE_DUE,
				List.of(this.keys.delayed(this.queue), this.keys.stream(this.queue),
						this.keys.stream(this.keys.deadLetterQueue(this.queue))),
				Long.toString(this.clock.millis()), Integer.toString(this.settings.batchSize() * 10),
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

}
