package dev.haredis.queue;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Names the keys of the task queue: one stream per queue, a sorted set of tasks waiting for their retry, a stream
 * per dead-letter queue, and one hash per task result. All start with the queue's key prefix.
 * <p>
 * With hash tags (on a Redis Cluster), every key of one queue and of its dead-letter queues carries the queue's
 * name in braces, and so does each task's result key: the scripts that move a task between them touch keys of one
 * slot only. {@code orders} is then {@code queue:{orders}}, its retries {@code queue:{orders}:delayed}, its
 * dead-letter queue {@code queue:{orders}.dead-letter}. A task id names its queue ({@code orders:3f2c…}, safe in
 * a URL), so that its result key, {@code queue:result:{orders}:3f2c…}, is found from the id alone.
 */
final class QueueKeys {

	private static final String QUEUE = "{queue}";

	private final String prefix;

	private final String deadLetterQueue;

	private final boolean hashTags;

	/**
	 * Create a new instance.
	 * @param prefix the prefix of every key
	 * @param deadLetterQueue the name of a queue's dead-letter queue, where {@code {queue}} stands for the queue
	 * @param hashTags whether the keys of one queue carry its name as a hash tag
	 */
	QueueKeys(String prefix, String deadLetterQueue, boolean hashTags) {
		this.prefix = prefix;
		this.deadLetterQueue = deadLetterQueue;
		this.hashTags = hashTags;
	}

	/**
	 * Return the keys of the queues that use these settings.
	 * @param settings the queue settings
	 * @return their keys
	 */
	static QueueKeys of(TaskQueueSettings settings) {
		return new QueueKeys(settings.keyPrefix(), settings.deadLetterQueue(), settings.hashTags());
	}

	String stream(String queue) {
		return this.prefix + tagged(queue);
	}

	String delayed(String queue) {
		return this.prefix + tagged(queue) + ":delayed";
	}

	String deadLetterQueue(String queue) {
		return this.deadLetterQueue.replace(QUEUE, queue);
	}

	String result(String taskId) {
		int queueEnd = this.hashTags ? taskId.lastIndexOf(':') : -1;
		return (queueEnd > 0)
				? this.prefix + "result:{" + taskId.substring(0, queueEnd) + "}" + taskId.substring(queueEnd)
				: this.prefix + "result:" + taskId;
	}

	/**
	 * Return the id of a new task of the queue.
	 * @param queue the queue
	 * @return a random id, led by the queue it descends from when keys carry hash tags
	 */
	String newTaskId(String queue) {
		String id = UUID.randomUUID().toString();
		return this.hashTags ? origin(queue) + ":" + id : id;
	}

	/**
	 * Say why an entry of the queue with this id cannot be handled as its task: with hash tags, the task's result key
	 * (named after the id) must share the queue's slot, so the id must be led by the queue it descends from, as
	 * {@link #newTaskId} makes them; a producer of its own may have chosen another.
	 * @param queue the queue the entry is in
	 * @param taskId the entry's task id
	 * @return why not, or {@code null} when it can
	 */
	@Nullable String whyNotOfQueue(String queue, String taskId) {
		if (!this.hashTags) {
			return null;
		}
		String lead = origin(queue) + ":";
		return (taskId.startsWith(lead) && taskId.length() > lead.length()) ? null
				: "an id not led by '" + lead + "', which a Redis Cluster needs to keep the task's result in the "
						+ "queue's slot";
	}

	/**
	 * Return the queue's name with the name of the queue it descends from in braces: {@code {orders}} for
	 * {@code orders}, {@code {orders}.dead-letter} for its dead-letter queue.
	 */
	private String tagged(String queue) {
		if (!this.hashTags) {
			return queue;
		}
		String origin = origin(queue);
		int at = depth(queue) * this.deadLetterQueue.indexOf(QUEUE);
		return queue.substring(0, at) + "{" + origin + "}" + queue.substring(at + origin.length());
	}

	/**
	 * Return the queue the named one is the dead-letter queue of (of the dead-letter queue of ...), or the queue
	 * itself when it is none.
	 */
	private String origin(String queue) {
		String origin = queue;
		for (String parent = parent(origin); parent != null; parent = parent(origin)) {
			origin = parent;
		}
		return origin;
	}

	private int depth(String queue) {
		int depth = 0;
		for (String parent = parent(queue); parent != null; parent = parent(parent)) {
			depth++;
		}
		return depth;
	}

	private @Nullable String parent(String queue) {
		int at = this.deadLetterQueue.indexOf(QUEUE);
		String before = this.deadLetterQueue.substring(0, at);
		String after = this.deadLetterQueue.substring(at + QUEUE.length());
		// A name of "{queue}" alone would be every queue's parent (the properties refuse it).
		boolean matches = !(before + after).isEmpty() && queue.length() > before.length() + after.length()
				&& queue.startsWith(before) && queue.endsWith(after);
		return matches ? queue.substring(before.length(), queue.length() - after.length()) : null;
	}

}
