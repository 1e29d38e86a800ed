package dev.haredis.drill;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the {@link QueueBenchmark} measures: ha-redis's task queue, and the hand-written Redis Streams loop each of its
 * variants is compared with. The names are the values of {@code --variants}.
 */
enum QueueVariant {

	HAND_WRITTEN("hand-written XADD/XREADGROUP/XACK", null, false, List.of("ha.redis.queue.enabled=false")),

	HA_REDIS("ha-redis TaskQueueOperations.enqueue (no results, the default)", HAND_WRITTEN, false, List.of()),

	HA_REDIS_RESULTS("ha-redis TaskQueueOperations.enqueue (results kept, result-ttl=1d)", HAND_WRITTEN, false,
			List.of("ha.redis.queue.result-ttl=1d")),

	HAND_WRITTEN_BULK("hand-written, " + QueueThroughput.BULK + " XADDs pipelined", null, true,
			List.of("ha.redis.queue.enabled=false")),

	HA_REDIS_BULK("ha-redis TaskQueueOperations.enqueueAll of " + QueueThroughput.BULK + " (no results)",
			HAND_WRITTEN_BULK, true, List.of());

	final String label;

	/** The hand-written loop this variant is compared with; {@code null} for a hand-written one. */
	final @Nullable QueueVariant baseline;

	/** Whether a call enqueues {@link QueueThroughput#BULK} tasks rather than one. */
	final boolean bulk;

	/** What the variant adds to the application's properties. */
	final List<String> properties;

	QueueVariant(String label, @Nullable QueueVariant baseline, boolean bulk, List<String> properties) {
		this.label = label;
		this.baseline = baseline;
		this.bulk = bulk;
		this.properties = properties;
	}

	/**
	 * Whether this is a hand-written loop, which runs without ha-redis's queue.
	 */
	boolean handWritten() {
		return this.baseline == null;
	}

	QueueVariant baseline() {
		return (this.baseline != null) ? this.baseline : this;
	}

}
