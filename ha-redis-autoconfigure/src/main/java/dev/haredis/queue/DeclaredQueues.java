package dev.haredis.queue;

import java.util.Collection;
import java.util.Set;

/**
 * The queues this application declares: those with a handler, and those named in
 * {@code ha.redis.queue.declared-queues} (with the default queue). Meters carry a declared queue's name and put
 * every other queue under one tag, {@code other}: a queue name is whatever a caller of
 * {@link TaskQueueOperations#enqueue(String, Object)} passes, and one meter per name would grow without bound.
 */
final class DeclaredQueues {

	/**
	 * The tag of every queue that is not declared.
	 */
	static final String OTHER = "other";

	private final TaskHandlers handlers;

	private final Set<String> names;

	/**
	 * Create a new instance.
	 * @param handlers the handlers, each of whose queues is declared (looked up at each call: handlers are
	 * registered while the application starts)
	 * @param names the other declared queues
	 */
	DeclaredQueues(TaskHandlers handlers, Collection<String> names) {
		this.handlers = handlers;
		this.names = Set.copyOf(names);
	}

	/**
	 * Whether a queue is declared.
	 * @param queue the queue
	 * @return whether it has a handler or is named in the settings
	 */
	boolean isDeclared(String queue) {
		return this.names.contains(queue) || this.handlers.hasHandler(queue);
	}

	/**
	 * Return the tag of a queue in meters.
	 * @param queue the queue
	 * @return its name when it is declared, else {@code other}
	 */
	String tag(String queue) {
		return isDeclared(queue) ? queue : OTHER;
	}

}
