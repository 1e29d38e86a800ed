package dev.haredis.queue;

/**
 * Names the keys of the task queue: one stream per queue, a sorted set of tasks waiting for their retry, a stream
 * per dead-letter queue, and one hash per task result. All start with the queue's key prefix.
 */
final class QueueKeys {

	private final String prefix;

	private final String deadLetterQueue;

	/**
	 * Create a new instance.
	 * @param prefix the prefix of every key
	 * @param deadLetterQueue the name of a queue's dead-letter queue, where {@code {queue}} stands for the queue
	 */
	QueueKeys(String prefix, String deadLetterQueue) {
		this.prefix = prefix;
		this.deadLetterQueue = deadLetterQueue;
	}

	/**
	 * Return the keys of the queues that use these settings.
	 * @param settings the queue settings
	 * @return their keys
	 */
	static QueueKeys of(TaskQueueSettings settings) {
		return new QueueKeys(settings.keyPrefix(), settings.deadLetterQueue());
	}

	String stream(String queue) {
		return this.prefix + queue;
	}

	String delayed(String queue) {
		return this.prefix + queue + ":delayed";
	}

	String deadLetterQueue(String queue) {
		return this.deadLetterQueue.replace("{queue}", queue);
	}

	String result(String taskId) {
		return this.prefix + "result:" + taskId;
	}

}
