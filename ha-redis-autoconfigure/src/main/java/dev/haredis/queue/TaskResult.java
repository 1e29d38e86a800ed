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

	private static final String SEPARATOR = "\u001F";

	/**
	 * Return a result for a task nothing is known about (never enqueued, or its result expired).
	 * @param taskId the task id
	 * @return a pending result
	 */
	public static TaskResult unknown(String taskId) {
		return new TaskResult(taskId, TaskState.PENDING, null, null, null);
	}

	/**
	 * Read a stored result: {@code state US updated US error US value}, US being U+001F.
	 * @param taskId the task id
	 * @param stored the stored string
	 * @return the result
	 */
	static TaskResult parse(String taskId, String stored) {
		String[] parts = stored.split(SEPARATOR, 4);
		if (parts.length < 4) {
			return unknown(taskId);
		}
		return new TaskResult(taskId, TaskState.valueOf(parts[0]), parts[3].isEmpty() ? null : parts[3],
				parts[2].isEmpty() ? null : parts[2],
				parts[1].isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(parts[1])));
	}

	/**
	 * Make an error message storable: without the separator of the stored form.
	 * @param error the error
	 * @return the storable error
	 */
	static String storable(String error) {
		return error.replace(SEPARATOR, " ");
	}

	/**
	 * Whether the task will not change state any more.
	 * @return whether it succeeded or failed for good
	 */
	public boolean isDone() {
		return this.state == TaskState.SUCCESS || this.state == TaskState.FAILURE;
	}

}
