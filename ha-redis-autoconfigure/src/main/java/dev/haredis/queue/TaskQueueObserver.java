package dev.haredis.queue;

import java.time.Duration;
import java.util.List;

/**
 * Told what the task queue does, for metrics. Calls come from the producing and the worker threads. Every bean of
 * this type is told by the auto-configured queue and workers (the meters and the health's state are two), so an
 * application can add its own.
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

			@Override
			public void deadLettersDropped(String queue, long count) {
				all.forEach((observer) -> observer.deadLettersDropped(queue, count));
			}

			@Override
			public void workerStarted(String queue, String worker) {
				all.forEach((observer) -> observer.workerStarted(queue, worker));
			}

			@Override
			public void workerFailed(String queue, String worker, String reason) {
				all.forEach((observer) -> observer.workerFailed(queue, worker, reason));
			}

			@Override
			public void workerEnded(String queue, String worker, String reason) {
				all.forEach((observer) -> observer.workerEnded(queue, worker, reason));
			}

			@Override
			public void workerStopped(String queue, String worker) {
				all.forEach((observer) -> observer.workerStopped(queue, worker));
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
	 * @param reason {@code failed} (last attempt failed), {@code poison} (unreadable payload, or an entry that is not
	 * a task) or {@code abandoned} (delivered too often without an acknowledgement)
	 */
	default void deadLettered(String queue, String reason) {
	}

	/**
	 * The housekeeping worker of a queue read its state (about once a second).
	 * @param state the queue's state
	 */
	default void observed(QueueState state) {
	}

	/**
	 * The oldest entries of a queue's dead-letter queue were dropped to keep it within
	 * {@code ha.redis.queue.dead-letter-max-length}.
	 * @param queue the queue whose dead letters they were
	 * @param count how many entries were dropped
	 */
	default void deadLettersDropped(String queue, long count) {
	}

	/**
	 * A worker of a queue started, or restarted after a failure of its loop.
	 * @param queue the queue
	 * @param worker the worker's consumer name
	 */
	default void workerStarted(String queue, String worker) {
	}

	/**
	 * The loop of a worker failed (not a handler: they only fail their task); it is restarted after a short
	 * back-off.
	 * @param queue the queue
	 * @param worker the worker's consumer name
	 * @param reason the failure, as {@code class: message}
	 */
	default void workerFailed(String queue, String worker, String reason) {
	}

	/**
	 * A worker ended while the application runs and is not restarted (its supervisor itself failed, out of memory
	 * while logging): the queue has one worker less.
	 * @param queue the queue
	 * @param worker the worker's consumer name
	 * @param reason why, for the health details
	 */
	default void workerEnded(String queue, String worker, String reason) {
	}

	/**
	 * A worker stopped with the application.
	 * @param queue the queue
	 * @param worker the worker's consumer name
	 */
	default void workerStopped(String queue, String worker) {
	}

}
