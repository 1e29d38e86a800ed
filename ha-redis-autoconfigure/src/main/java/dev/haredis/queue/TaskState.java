package dev.haredis.queue;

/**
 * The state of a task, as Celery names them.
 */
public enum TaskState {

	/**
	 * Enqueued, not picked up yet (also what an unknown or expired task id reads as).
	 */
	PENDING,

	/**
	 * Picked up by a worker.
	 */
	STARTED,

	/**
	 * The handler returned; the result holds its return value.
	 */
	SUCCESS,

	/**
	 * Failed and will be tried again after a back-off.
	 */
	RETRY,

	/**
	 * Failed for the last time (or could not be read); the task is in the dead-letter queue.
	 */
	FAILURE

}
