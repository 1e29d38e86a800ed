package dev.haredis.queue;

import java.lang.reflect.Type;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.durability.DurableWrites;
import dev.haredis.durability.WriteNotReplicatedException;

/**
 * Enqueues tasks and reads their results:
 *
 * <pre class="code">
 * String id = taskQueue.enqueue("emails", new Email("alice@example.com", "Welcome"));
 * TaskResult result = taskQueue.result(id);
 * </pre>
 *
 * The payload is written as JSON. {@link #enqueueDurably(String, Object)} returns only once enough replicas have the
 * task, so that an acknowledged enqueue survives a failover.
 */
public class TaskQueue {

	private final StringRedisTemplate redis;

	private final @Nullable DurableWrites durableWrites;

	private final TaskPayloads payloads;

	private final TaskQueueSettings settings;

	private final QueueKeys keys;

	private final String defaultQueue;

	private final TaskQueueObserver observer;

	private final Clock clock;

	private final boolean durableByDefault;

	/**
	 * Create a new instance.
	 * @param redis operations on the queue's connection factory
	 * @param durableWrites durable writes on the queue's database, for {@link #enqueueDurably}, or {@code null}
	 * @param payloads how payloads are written
	 * @param settings the queue settings
	 * @param defaultQueue the queue of {@link #enqueue(Object)}
	 * @param observer told about every enqueue
	 * @param clock the clock
	 * @param durableByDefault whether {@link #enqueue(String, Object)} is durable too
	 */
	public TaskQueue(StringRedisTemplate redis, @Nullable DurableWrites durableWrites, TaskPayloads payloads,
			TaskQueueSettings settings, String defaultQueue, TaskQueueObserver observer, Clock clock,
			boolean durableByDefault) {
		this.redis = redis;
		this.durableWrites = durableWrites;
		this.payloads = payloads;
		this.settings = settings;
		this.keys = QueueKeys.of(settings);
		this.defaultQueue = defaultQueue;
		this.observer = observer;
		this.clock = clock;
		this.durableByDefault = durableByDefault;
	}

	/**
	 * Enqueue a task on the default queue.
	 * @param payload the payload, written as JSON
	 * @return the task id
	 */
	public String enqueue(Object payload) {
		return enqueue(this.defaultQueue, payload);
	}

	/**
	 * Enqueue a task. Unless the queue is durable by default ({@code ha.redis.queue.durable}), acknowledged by the
	 * master only: a failover right after it may lose it (asynchronous replication); use
	 * {@link #enqueueDurably(String, Object)} when that is not acceptable.
	 * @param queue the queue
	 * @param payload the payload, written as JSON
	 * @return the task id
	 */
	public String enqueue(String queue, Object payload) {
		if (this.durableByDefault) {
			return enqueueDurably(queue, payload);
		}
		TaskFields task = newTask(payload);
		run(this.redis, queue, task);
		this.observer.enqueued(queue);
		return task.id();
	}

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
	public String enqueueDurably(String queue, Object payload) {
		DurableWrites durable = this.durableWrites;
		if (durable == null) {
			throw new IllegalStateException("Durable enqueues need DurableWrites on the queue's connection factory");
		}
		TaskFields task = newTask(payload);
		durable.execute((operations) -> run(operations, queue, task));
		this.observer.enqueued(queue);
		return task.id();
	}

	/**
	 * Enqueue several tasks in one round trip (pipelined {@code XADD}s), for producers that submit tasks in bulk.
	 * Unless the queue is durable by default, acknowledged by the master only, like {@link #enqueue(String, Object)}.
	 * On an error, some of the tasks may have been enqueued: enqueue again with an idempotent handler if in doubt.
	 * @param queue the queue
	 * @param payloads the payloads, each written as JSON
	 * @return the task ids, in the order of the payloads
	 */
	public List<String> enqueueAll(String queue, List<?> payloads) {
		if (this.durableByDefault) {
			return enqueueAllDurably(queue, payloads);
		}
		List<TaskFields> tasks = newTasks(payloads);
		this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			addAll(connection, queue, tasks);
			return null;
		});
		return enqueued(queue, tasks);
	}

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
	public List<String> enqueueAllDurably(String queue, List<?> payloads) {
		DurableWrites durable = this.durableWrites;
		if (durable == null) {
			throw new IllegalStateException("Durable enqueues need DurableWrites on the queue's connection factory");
		}
		List<TaskFields> tasks = newTasks(payloads);
		durable.executeOnConnection((connection) -> {
			connection.openPipeline();
			try {
				addAll(connection, queue, tasks);
			}
			finally {
				connection.closePipeline();
			}
			return null;
		});
		return enqueued(queue, tasks);
	}

	private List<TaskFields> newTasks(List<?> payloads) {
		List<TaskFields> tasks = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			tasks.add(newTask(payload));
		}
		return tasks;
	}

	private void addAll(RedisConnection connection, String queue, List<TaskFields> tasks) {
		StringRedisConnection strings = (connection instanceof StringRedisConnection string) ? string
				: new DefaultStringRedisConnection(connection);
		String stream = this.keys.stream(queue);
		for (TaskFields task : tasks) {
			strings.xAdd(StreamRecords.newRecord().in(stream).ofStrings(task.toMap()));
		}
	}

	private List<String> enqueued(String queue, List<TaskFields> tasks) {
		List<String> ids = new ArrayList<>(tasks.size());
		for (TaskFields task : tasks) {
			this.observer.enqueued(queue);
			ids.add(task.id());
		}
		return ids;
	}

	/**
	 * Return what is known about a task.
	 * @param taskId the task id
	 * @return the result; {@link TaskState#PENDING} when nothing is known (results off, unknown id or expired)
	 */
	public TaskResult result(String taskId) {
		String stored = this.redis.opsForValue().get(this.keys.result(taskId));
		return (stored != null) ? TaskResult.parse(taskId, stored) : TaskResult.unknown(taskId);
	}

	/**
	 * Read the value of a successful task.
	 * @param <T> the value type
	 * @param result the result
	 * @param type the type to read the value as
	 * @return the value, or {@code null} when there is none
	 * @throws IllegalArgumentException when the stored value cannot be read as the type
	 */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T value(TaskResult result, Type type) {
		String json = result.valueJson();
		return (json != null) ? (T) this.payloads.read(json, type) : null;
	}

	/**
	 * Return the name of the dead-letter queue of a queue.
	 * @param queue the queue
	 * @return its dead-letter queue, itself a queue (handlers may be registered for it)
	 */
	public String deadLetterQueue(String queue) {
		return this.keys.deadLetterQueue(queue);
	}

	/**
	 * Return the queue's settings.
	 * @return the settings
	 */
	public TaskQueueSettings getSettings() {
		return this.settings;
	}

	private TaskFields newTask(Object payload) {
		return new TaskFields(UUID.randomUUID().toString(), this.payloads.write(payload), 1, 0, null);
	}

	private @Nullable String run(RedisOperations<String, String> operations, String queue, TaskFields task) {
		// No result is written yet: an unknown task reads as PENDING, as with Celery.
		RecordId id = operations.opsForStream()
			.add(StreamRecords.newRecord().in(this.keys.stream(queue)).ofStrings(task.toMap()));
		return (id != null) ? id.getValue() : null;
	}

}
