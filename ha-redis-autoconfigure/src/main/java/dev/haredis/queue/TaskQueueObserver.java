package dev.haredis.queue;

import java.time.Duration;
import java.util.List;

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
	 * Return an observer that tells all the given ones.
	 * @param observers the observers
	 * @return one observer for all
	 */
	static TaskQueueObserver all(List<TaskQueueObserver> observers) {
		List<TaskQueueObserver> all = List.copyOf(observers);
		return new TaskQueueObserver() {

			@Override
			public void enqueued(String queue) {
				all.forEach((observer) -> observer.enqueued(queue));
			}

			@Override
			public void started(String queue) {
				all.forEach((observer) -> observer.started(queue));
			}

			@Override
			public void succeeded(String queue, Duration processing) {
				all.forEach((observer) -> observer.succeeded(queue, processing));
			}

			@Override
			public void failed(String queue, Duration processing, boolean retried) {
				all.forEach((observer) -> observer.failed(queue, processing, retried));
			}

			@Override
			public void deadLettered(String queue, String reason) {
				all.forEach((observer) -> observer.deadLettered(queue, reason));
			}

			@Override
			public void observed(QueueState state) {
				all.forEach((observer) -> observer.observed(state));
			}

		};
	}

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

	/**
	 * The housekeeping worker of a queue read its state (about once a second).
	 * @param state the queue's state
	 */
	default void observed(QueueState state) {
	}

}
