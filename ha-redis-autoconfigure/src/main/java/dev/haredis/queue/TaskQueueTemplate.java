package dev.haredis.queue;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

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

/**
 * The {@link TaskQueueOperations} on Redis Streams: each task is an entry ({@code XADD}) of its queue's stream,
 * its payload written as JSON. {@link #enqueueDurably(String, Object)} returns only once enough replicas have the
 * task ({@code WAIT}), so that an acknowledged enqueue survives a failover.
 */
public class TaskQueueTemplate implements TaskQueueOperations {

	private final StringRedisTemplate redis;

	private final @Nullable DurableWrites durableWrites;

	private final TaskPayloads payloads;

	private final TaskQueueSettings settings;

	private final QueueKeys keys;

	private final String defaultQueue;

	private final TaskQueueObserver observer;

	private final boolean durableByDefault;

	/**
	 * Create a new instance.
	 * @param redis operations on the queue's connection factory
	 * @param durableWrites durable writes on the queue's database, for {@link #enqueueDurably}, or {@code null}
	 * @param payloads how payloads are written
	 * @param settings the queue settings
	 * @param defaultQueue the queue of {@link #enqueue(Object)}
	 * @param observer told about every enqueue
	 * @param durableByDefault whether {@link #enqueue(String, Object)} is durable too
	 */
	public TaskQueueTemplate(StringRedisTemplate redis, @Nullable DurableWrites durableWrites, TaskPayloads payloads,
			TaskQueueSettings settings, String defaultQueue, TaskQueueObserver observer, boolean durableByDefault) {
		this.redis = redis;
		this.durableWrites = durableWrites;
		this.payloads = payloads;
		this.settings = settings;
		this.keys = QueueKeys.of(settings);
		this.defaultQueue = defaultQueue;
		this.observer = observer;
		this.durableByDefault = durableByDefault;
	}

	@Override
	public String enqueue(Object payload) {
		return enqueue(this.defaultQueue, payload);
	}

	@Override
	public String enqueue(String queue, Object payload) {
		if (this.durableByDefault) {
			return enqueueDurably(queue, payload);
		}
		TaskFields task = newTask(queue, payload);
		run(this.redis, queue, task);
		this.observer.enqueued(queue);
		return task.id();
	}

	@Override
	public String enqueueDurably(String queue, Object payload) {
		TaskFields task = newTask(queue, payload);
		durableWrites().execute((operations) -> run(operations, queue, task));
		this.observer.enqueued(queue);
		return task.id();
	}

	@Override
	public List<String> enqueueAll(String queue, List<?> payloads) {
		if (this.durableByDefault) {
			return enqueueAllDurably(queue, payloads);
		}
		List<TaskFields> tasks = newTasks(queue, payloads);
		this.redis.executePipelined((RedisCallback<Object>) (connection) -> {
			addAll(connection, queue, tasks);
			return null;
		});
		return enqueued(queue, tasks);
	}

	@Override
	public List<String> enqueueAllDurably(String queue, List<?> payloads) {
		List<TaskFields> tasks = newTasks(queue, payloads);
		durableWrites().executeOnConnection((connection) -> {
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

	private DurableWrites durableWrites() {
		DurableWrites durable = this.durableWrites;
		if (durable == null) {
			throw new IllegalStateException("Durable enqueues need DurableWrites on the queue's connection factory "
					+ "(a Sentinel topology's; a Redis Cluster has none yet)");
		}
		return durable;
	}

	private List<TaskFields> newTasks(String queue, List<?> payloads) {
		List<TaskFields> tasks = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			tasks.add(newTask(queue, payload));
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

	@Override
	public TaskResult result(String taskId) {
		String stored = this.redis.opsForValue().get(this.keys.result(taskId));
		return (stored != null) ? TaskResult.parse(taskId, stored) : TaskResult.unknown(taskId);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T value(TaskResult result, Type type) {
		String json = result.valueJson();
		return (json != null) ? (T) this.payloads.read(json, type) : null;
	}

	@Override
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

	private TaskFields newTask(String queue, Object payload) {
		return new TaskFields(this.keys.newTaskId(queue), this.payloads.write(payload), 1, 0, null);
	}

	private @Nullable String run(RedisOperations<String, String> operations, String queue, TaskFields task) {
		// No result is written yet: an unknown task reads as PENDING, as with Celery.
		RecordId id = operations.opsForStream()
			.add(StreamRecords.newRecord().in(this.keys.stream(queue)).ofStrings(task.toMap()));
		return (id != null) ? id.getValue() : null;
	}

}
