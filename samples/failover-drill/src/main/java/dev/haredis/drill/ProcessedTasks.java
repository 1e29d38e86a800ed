package dev.haredis.drill;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the queue benchmark's workers have processed. One instance outlives the application contexts the benchmark
 * starts and stops, and the hand-written workers, which run outside them, count into it too.
 */
final class ProcessedTasks {

	private final LongAdder count = new LongAdder();

	private final Set<String> ids = ConcurrentHashMap.newKeySet();

	/**
	 * Count one task, for the end-to-end throughput.
	 */
	void increment() {
		this.count.increment();
	}

	long count() {
		return this.count.sum();
	}

	/**
	 * Record a task by its id, for the failover drill's "acknowledged but never processed".
	 */
	void record(String taskId) {
		this.ids.add(taskId);
	}

	Set<String> ids() {
		return this.ids;
	}

}
