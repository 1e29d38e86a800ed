package dev.haredis.queue;

import java.lang.reflect.Type;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.haredis.durability.WriteNotReplicatedException;

/**
 * The operations of the task queue: enqueue tasks and read their results.
 *
 * <pre class="code">
 * String id = taskQueue.enqueue("emails", new Email("alice@example.com", "Welcome"));
 * TaskResult result = taskQueue.result(id);
 * </pre>
 *
 * Implemented by {@link TaskQueueTemplate}, which the auto-configuration provides unless the application defines
 * a bean of this type of its own (a fake in its tests, for example).
 */
public interface TaskQueueOperations {

	/**
	 * Enqueue a task on the default queue ({@code ha.redis.queue.default-queue}).
	 * @param payload the payload, written as JSON
	 * @return the task id
	 */
	String enqueue(Object payload);

	/**
	 * Enqueue a task. Unless the queue is durable by default ({@code ha.redis.queue.durable}), acknowledged by the
	 * master only: a failover right after it may lose it (asynchronous replication); use
	 * {@link #enqueueDurably(String, Object)} when that is not acceptable.
	 * @param queue the queue
	 * @param payload the payload, written as JSON
	 * @return the task id
	 */
	String enqueue(String queue, Object payload);

	/**
	 * Enqueue a task and wait until enough replicas have it ({@code ha.redis.durability.*}).
	 * @param queue the queue
	 * @param payload the payload, written as JSON
	 * @return the task id
	 * @throws WriteNotReplicatedException when too few replicas acknowledged the task in time; the task may still
	 * be processed (it is on the master), but it may also be lost in a failover: enqueue it again if in doubt, with
	 * an idempotent handler
	 * @throws IllegalStateException when no durable writes are configured
	 */
	String enqueueDurably(String queue, Object payload);

	/**
	 * Enqueue several tasks in one round trip (pipelined {@code XADD}s), for producers that submit tasks in bulk.
	 * Unless the queue is durable by default, acknowledged by the master only, like {@link #enqueue(String, Object)}.
	 * On an error, some of the tasks may have been enqueued: enqueue again with an idempotent handler if in doubt.
	 * @param queue the queue
	 * @param payloads the payloads, each written as JSON
	 * @return the task ids, in the order of the payloads
	 */
	List<String> enqueueAll(String queue, List<?> payloads);

	/**
	 * Enqueue several tasks in one round trip and wait once until enough replicas have all of them
	 * ({@code ha.redis.durability.*}).
	 * @param queue the queue
	 * @param payloads the payloads, each written as JSON
	 * @return the task ids, in the order of the payloads
	 * @throws WriteNotReplicatedException when too few replicas acknowledged the tasks in time; see
	 * {@link #enqueueDurably(String, Object)}
	 * @throws IllegalStateException when no durable writes are configured
	 */
	List<String> enqueueAllDurably(String queue, List<?> payloads);

	/**
	 * Return what is known about a task.
	 * @param taskId the task id
	 * @return the result; {@link TaskState#PENDING} when nothing is known (results off, unknown id or expired)
	 */
	TaskResult result(String taskId);

	/**
	 * Read the value of a successful task.
	 * @param <T> the value type
	 * @param result the result
	 * @param type the type to read the value as
	 * @return the value, or {@code null} when there is none
	 * @throws IllegalArgumentException when the stored value cannot be read as the type
	 */
	<T> @Nullable T value(TaskResult result, Type type);

	/**
	 * Return the name of the dead-letter queue of a queue.
	 * @param queue the queue
	 * @return its dead-letter queue, itself a queue (handlers may be registered for it)
	 */
	String deadLetterQueue(String queue);

}
