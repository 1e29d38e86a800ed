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
	 * Read a stored result: {@code state US updated US error US value}, US being U+001F. A stored string ha-redis
	 * did not write (another tool's, or damaged) is reported as such: a {@link TaskState#PENDING} result whose
	 * error says why it could not be read, never an exception.
	 * @param taskId the task id
	 * @param stored the stored string
	 * @return the result
	 */
	static TaskResult parse(String taskId, String stored) {
		String[] parts = stored.split(SEPARATOR, 4);
		if (parts.length < 4) {
			return unreadable(taskId, "not 4 fields");
		}
		TaskState state;
		try {
			state = TaskState.valueOf(parts[0]);
		}
		catch (IllegalArgumentException ex) {
			return unreadable(taskId, "unknown state");
		}
		Instant updatedAt;
		try {
			updatedAt = parts[1].isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(parts[1]));
		}
		catch (NumberFormatException ex) {
			return unreadable(taskId, "malformed time");
		}
		return new TaskResult(taskId, state, parts[3].isEmpty() ? null : parts[3], parts[2].isEmpty() ? null : parts[2],
				updatedAt);
	}

	private static TaskResult unreadable(String taskId, String reason) {
		return new TaskResult(taskId, TaskState.PENDING, null, "Unreadable stored result (" + reason
				+ "): not written by ha-redis's task queue, or damaged", null);
	}

	/**
	 * Whether the task will not change state any more.
	 * @return whether it succeeded or failed for good
	 */
	public boolean isDone() {
		return this.state == TaskState.SUCCESS || this.state == TaskState.FAILURE;
	}

}
