package dev.haredis.queue;

import java.time.Duration;

/**
 * Told what the task queue does, for metrics. Calls come from the producing and the worker threads.
 */
public interface TaskQueueObserver {

	/**
	 * Does nothing.
	 */
	TaskQueueObserver NONE = new TaskQueueObserver() {
	};

	/**
	 * A task was enqueued.
	 * @param queue the queue
	 */
	default void enqueued(String queue) {
	}

	/**
	 * A handler started on a task.
	 * @param queue the queue
	 */
	default void started(String queue) {
	}

	/**
	 * A handler returned; the task is acknowledged.
	 * @param queue the queue
	 * @param processing how long the handler ran
	 */
	default void succeeded(String queue, Duration processing) {
	}

	/**
	 * A handler threw.
	 * @param queue the queue
	 * @param processing how long the handler ran
	 * @param retried whether the task will be tried again (else it was dead-lettered)
	 */
	default void failed(String queue, Duration processing, boolean retried) {
	}

	/**
	 * A task went to the dead-letter queue.
	 * @param queue the queue it came from
	 * @param reason {@code failed} (last attempt failed), {@code poison} (unreadable payload) or {@code abandoned}
	 * (delivered too often without an acknowledgement)
	 */
	default void deadLettered(String queue, String reason) {
	}

}
