package dev.haredis.queue;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Moves the due retries of one queue from its sorted set of delayed tasks back into its stream, in one script
 * ({@link QueueScripts#PROMOTE_DUE}), which dead-letters a delayed entry that is not a task. A housekeeping step.
 */
final class DueRetries implements Runnable {

	private static final Log logger = LogFactory.getLog(DueRetries.class);

	private final HousekeptQueue queue;

	DueRetries(HousekeptQueue queue) {
		this.queue = queue;
	}

	@Override
	public void run() {
		TaskQueueSettings settings = this.queue.settings();
		List<?> moved = this.queue.redis()
			.execute(QueueScripts.PROMOTE_DUE,
					List.of(this.queue.delayed(), this.queue.stream(), this.queue.deadLetterStream()),
					Long.toString(this.queue.clock().millis()), Integer.toString(settings.batchSize() * 10),
					"not a task: a delayed retry that is not a JSON array of field names and values",
					Long.toString(settings.deadLetterMaxLength()));
		long malformed = (moved != null && moved.size() > 1) ? ((Number) moved.get(1)).longValue() : 0;
		long dropped = (moved != null && moved.size() > 2) ? ((Number) moved.get(2)).longValue() : 0;
		for (long i = 0; i < malformed; i++) {
			this.queue.observer().deadLettered(this.queue.name(), "poison");
		}
		if (dropped > 0) {
			this.queue.observer().deadLettersDropped(this.queue.name(), dropped);
		}
		if (malformed > 0) {
			logger.warn(malformed + " delayed retr" + ((malformed == 1) ? "y" : "ies") + " of queue '"
					+ this.queue.name() + "' moved to '" + this.queue.deadLetterQueue() + "': not a task");
		}
	}

}
