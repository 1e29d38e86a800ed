package dev.haredis.queue;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What is known about a task, like Celery's {@code AsyncResult}: its state, and its return value or error.
 *
 * @param taskId the task id
 * @param state the state
 * @param valueJson the handler's return value as JSON, when the state is {@link TaskState#SUCCESS}
 * @param error why the last attempt failed, for {@link TaskState#RETRY} and {@link TaskState#FAILURE}
 * @param updatedAt when the state last changed, when known
 */
public record TaskResult(String taskId, TaskState state, @Nullable String valueJson, @Nullable String error,
		@Nullable Instant updatedAt) {

	/**
	 * Return a result for a task nothing is known about (never enqueued, or its result expired).
	 * @param taskId the task id
	 * @return a pending result
	 */
	public static TaskResult unknown(String taskId) {
		return new TaskResult(taskId, TaskState.PENDING, null, null, null);
	}

	/**
	 * Whether the task will not change state any more.
	 * @return whether it succeeded or failed for good
	 */
	public boolean isDone() {
		return this.state == TaskState.SUCCESS || this.state == TaskState.FAILURE;
	}

}
