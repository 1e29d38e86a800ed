package dev.haredis.drill;

import dev.haredis.queue.TaskContext;
import dev.haredis.queue.TaskListener;

/**
 * ha-redis's workers in the queue benchmark: they only count what they process, so that the measurement is the
 * queue's own cost.
 */
public class BenchmarkTaskListeners {

	private final ProcessedTasks processed;

	BenchmarkTaskListeners(ProcessedTasks processed) {
		this.processed = processed;
	}

	@TaskListener(queue = "e2e")
	public void e2e(BenchmarkTask task) {
		this.processed.increment();
	}

	@TaskListener(queue = "drill")
	public void drill(BenchmarkTask task, TaskContext context) {
		this.processed.record(context.taskId());
	}

}
