package dev.haredis.queue;

import org.jspecify.annotations.Nullable;

/**
 * Runs the tasks of a queue. The task is acknowledged when this returns; an exception leads to a retry after a
 * back-off, or to the dead-letter queue after the last attempt. Delivery is at least once: a task may run again
 * after a worker died or a failover, so make handlers idempotent (for example, keyed by
 * {@link TaskContext#taskId()}).
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface TaskHandler<T> {

	/**
	 * Run a task.
	 * @param payload the payload
	 * @param context the task's id and attempt
	 * @return the result to store (as JSON), or {@code null}
	 * @throws Exception to have the task retried
	 */
	@Nullable Object handle(T payload, TaskContext context) throws Exception;

}
