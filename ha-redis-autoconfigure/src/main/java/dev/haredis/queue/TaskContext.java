package dev.haredis.queue;

/**
 * What a handler may want to know about the task it runs.
 *
 * @param taskId the task id, the same for every attempt
 * @param queue the queue
 * @param attempt this attempt, from 1
 * @param maxAttempts how many attempts the task gets
 */
public record TaskContext(String taskId, String queue, int attempt, int maxAttempts) {

	/**
	 * Whether this is the last attempt: a failure now sends the task to the dead-letter queue.
	 * @return whether no retry follows
	 */
	public boolean isLastAttempt() {
		return this.attempt >= this.maxAttempts;
	}

}
