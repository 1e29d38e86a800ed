package dev.haredis.queue;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for the task queue, all tagged with the {@code queue}:
 * <ul>
 * <li>{@code ha.redis.queue.enqueued}, {@code ha.redis.queue.succeeded}: tasks enqueued, and acknowledged after
 * their handler returned;</li>
 * <li>{@code ha.redis.queue.failed}: handler runs that threw, tagged {@code retried=true|false};</li>
 * <li>{@code ha.redis.queue.dead.lettered}: tasks moved to the dead-letter queue, tagged with the {@code reason}
 * ({@code failed}, {@code poison}, {@code abandoned});</li>
 * <li>{@code ha.redis.queue.in.flight}: tasks whose handler is running;</li>
 * <li>{@code ha.redis.queue.processing}: how long handlers ran, tagged {@code outcome=success|failure};</li>
 * <li>{@code ha.redis.queue.waiting} (Redis 7 and later), {@code ha.redis.queue.pending},
 * {@code ha.redis.queue.delayed}, {@code ha.redis.queue.dead.letters}: tasks not delivered yet, with a worker, waiting
 * for a retry, dead-lettered;</li>
 * <li>{@code ha.redis.queue.pending.oldest}: how long the oldest pending task has been with its worker;</li>
 * <li>{@code ha.redis.queue.dead.letters.dropped}: dead letters dropped to keep a dead-letter queue within
 * {@code ha.redis.queue.dead-letter-max-length};</li>
 * <li>{@code ha.redis.queue.worker.restarts}: worker loops that failed (not a handler: those only fail their task)
 * and were restarted.</li>
 * </ul>
 * The gauges are read by the queues' housekeeping, about once a second, for the queues this application works on.
 * The {@code queue} tag is the name of a declared queue, and {@code other}
 * for any other: the number of meters stays bounded whatever names are passed to {@code enqueue}.
 * <p>
 * Public because the auto-configuration ({@code dev.haredis.autoconfigure.queue}) creates it, as the
 * {@code haRedisTaskQueueMetrics} bean.
 */
public class TaskQueueMetrics implements TaskQueueObserver {

	private final MeterRegistry registry;

	private final DeclaredQueues declared;

	private final Map<String, AtomicReference<QueueState>> states = new ConcurrentHashMap<>();

	// Looking meters up in the registry on every task costs more than the task itself in a fast queue.
	private final Map<String, QueueMeters> meters = new ConcurrentHashMap<>();

	private final Map<String, Counter> rareCounters = new ConcurrentHashMap<>();

	/**
	 * Create a new instance.
	 * @param registry where to register the meters
	 * @param handlers the handlers, each of whose queues is metered by name (looked up at each call: handlers are
	 * registered while the application starts)
	 * @param declaredQueues the other queues metered by name
	 */
	public TaskQueueMetrics(MeterRegistry registry, TaskHandlers handlers, Collection<String> declaredQueues) {
		this(registry, new DeclaredQueues(handlers, declaredQueues));
	}

	TaskQueueMetrics(MeterRegistry registry, DeclaredQueues declared) {
		this.registry = registry;
		this.declared = declared;
	}

	@Override
	public void enqueued(String queue) {
		meters(queue).enqueued.increment();
	}

	@Override
	public void started(String queue) {
		meters(queue).inFlight.incrementAndGet();
	}

	@Override
	public void succeeded(String queue, Duration processing) {
		QueueMeters meters = meters(queue);
		meters.inFlight.decrementAndGet();
		meters.succeeded.increment();
		meters.success.record(processing);
	}

	@Override
	public void failed(String queue, Duration processing, boolean retried) {
		QueueMeters meters = meters(queue);
		meters.inFlight.decrementAndGet();
		meters.failure.record(processing);
		rare("ha.redis.queue.failed", "Handler runs that threw", queue, "retried", Boolean.toString(retried))
			.increment();
	}

	@Override
	public void deadLettered(String queue, String reason) {
		rare("ha.redis.queue.dead.lettered", "Tasks moved to the dead-letter queue", queue, "reason", reason)
			.increment();
	}

	@Override
	public void deadLettersDropped(String queue, long count) {
		rare("ha.redis.queue.dead.letters.dropped", "Dead letters dropped to keep a dead-letter queue within its bound",
				queue, null, null)
			.increment(count);
	}

	@Override
	public void workerFailed(String queue, String worker, String reason) {
		rare("ha.redis.queue.worker.restarts", "Worker loops that failed and were restarted", queue, null, null)
			.increment();
	}

	private Counter rare(String name, String description, String queue, @Nullable String tag,
			@Nullable String value) {
		String queueTag = this.declared.tag(queue);
		return this.rareCounters.computeIfAbsent(name + "|" + queueTag + "|" + value, (key) -> {
			Counter.Builder builder = Counter.builder(name).description(description).tag("queue", queueTag);
			if (tag != null && value != null) {
				builder.tag(tag, value);
			}
			return builder.register(this.registry);
		});
	}

	@Override
	public void observed(QueueState state) {
		if (!this.declared.isDeclared(state.queue())) {
			return;
		}
		AtomicReference<QueueState> current = this.states.computeIfAbsent(state.queue(), (queue) -> {
			AtomicReference<QueueState> reference = new AtomicReference<>(state);
			Tags tags = Tags.of("queue", queue);
			Gauge.builder("ha.redis.queue.waiting", reference, (r) -> {
				Long waiting = r.get().waiting();
				return (waiting != null) ? waiting : Double.NaN;
			}).description("Tasks not delivered to a worker yet").tags(tags).register(this.registry);
			Gauge.builder("ha.redis.queue.pending", reference, (r) -> r.get().pending())
				.description("Tasks delivered to a worker and not acknowledged yet")
				.tags(tags)
				.register(this.registry);
			Gauge.builder("ha.redis.queue.delayed", reference, (r) -> r.get().delayed())
				.description("Tasks waiting for their retry")
				.tags(tags)
				.register(this.registry);
			Gauge.builder("ha.redis.queue.dead.letters", reference, (r) -> r.get().deadLetters())
				.description("Tasks in the dead-letter queue")
				.tags(tags)
				.register(this.registry);
			TimeGauge.builder("ha.redis.queue.pending.oldest", reference, TimeUnit.MILLISECONDS, (r) -> {
				Duration oldest = r.get().oldestPending();
				return (oldest != null) ? oldest.toMillis() : 0;
			}).description("How long the oldest pending task has been with its worker").tags(tags).register(this.registry);
			return reference;
		});
		current.set(state);
	}

	private QueueMeters meters(String queue) {
		QueueMeters meters = this.meters.get(queue);
		// Keyed by tag: a declared queue is found at once, any other under 'other'.
		return (meters != null) ? meters
				: this.meters.computeIfAbsent(this.declared.tag(queue), (tag) -> new QueueMeters(this.registry, tag));
	}

	/**
	 * The meters of one queue that change with every task.
	 */
	private static final class QueueMeters {

		final Counter enqueued;

		final Counter succeeded;

		final Timer success;

		final Timer failure;

		final AtomicInteger inFlight = new AtomicInteger();

		QueueMeters(MeterRegistry registry, String queue) {
			this.enqueued = Counter.builder("ha.redis.queue.enqueued")
				.description("Tasks enqueued")
				.tag("queue", queue)
				.register(registry);
			this.succeeded = Counter.builder("ha.redis.queue.succeeded")
				.description("Tasks whose handler returned")
				.tag("queue", queue)
				.register(registry);
			this.success = processing(registry, queue, "success");
			this.failure = processing(registry, queue, "failure");
			Gauge.builder("ha.redis.queue.in.flight", this.inFlight, AtomicInteger::get)
				.description("Tasks whose handler is running")
				.tag("queue", queue)
				.register(registry);
		}

		private static Timer processing(MeterRegistry registry, String queue, String outcome) {
			return Timer.builder("ha.redis.queue.processing")
				.description("How long task handlers ran")
				.tag("queue", queue)
				.tag("outcome", outcome)
				.register(registry);
		}

	}

}
