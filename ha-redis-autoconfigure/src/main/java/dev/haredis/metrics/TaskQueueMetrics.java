package dev.haredis.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.haredis.queue.TaskQueueObserver;

/**
 * Micrometer meters for the task queue, all tagged with the {@code queue}:
 * <ul>
 * <li>{@code ha.redis.queue.enqueued}, {@code ha.redis.queue.succeeded}: tasks enqueued, and acknowledged after
 * their handler returned;</li>
 * <li>{@code ha.redis.queue.failed}: handler runs that threw, tagged {@code retried=true|false};</li>
 * <li>{@code ha.redis.queue.dead.lettered}: tasks moved to the dead-letter queue, tagged with the {@code reason}
 * ({@code failed}, {@code poison}, {@code abandoned});</li>
 * <li>{@code ha.redis.queue.in.flight}: tasks whose handler is running;</li>
 * <li>{@code ha.redis.queue.processing}: how long handlers ran, successful or not.</li>
 * </ul>
 */
public class TaskQueueMetrics implements TaskQueueObserver {

	private final MeterRegistry registry;

	private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

	/**
	 * Create a new instance.
	 * @param registry where to register the meters
	 */
	public TaskQueueMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void enqueued(String queue) {
		counter("ha.redis.queue.enqueued", "Tasks enqueued", queue).increment();
	}

	@Override
	public void started(String queue) {
		inFlight(queue).incrementAndGet();
	}

	@Override
	public void succeeded(String queue, Duration processing) {
		inFlight(queue).decrementAndGet();
		counter("ha.redis.queue.succeeded", "Tasks whose handler returned", queue).increment();
		processing(queue, "success").record(processing);
	}

	@Override
	public void failed(String queue, Duration processing, boolean retried) {
		inFlight(queue).decrementAndGet();
		Counter.builder("ha.redis.queue.failed")
			.description("Handler runs that threw")
			.tag("queue", queue)
			.tag("retried", Boolean.toString(retried))
			.register(this.registry)
			.increment();
		processing(queue, "failure").record(processing);
	}

	@Override
	public void deadLettered(String queue, String reason) {
		Counter.builder("ha.redis.queue.dead.lettered")
			.description("Tasks moved to the dead-letter queue")
			.tag("queue", queue)
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	private Counter counter(String name, String description, String queue) {
		return Counter.builder(name).description(description).tag("queue", queue).register(this.registry);
	}

	private Timer processing(String queue, String outcome) {
		return Timer.builder("ha.redis.queue.processing")
			.description("How long task handlers ran")
			.tag("queue", queue)
			.tag("outcome", outcome)
			.register(this.registry);
	}

	private AtomicInteger inFlight(String queue) {
		return this.inFlight.computeIfAbsent(queue, (name) -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder("ha.redis.queue.in.flight", count, AtomicInteger::get)
				.description("Tasks whose handler is running")
				.tag("queue", name)
				.register(this.registry);
			return count;
		});
	}

}
