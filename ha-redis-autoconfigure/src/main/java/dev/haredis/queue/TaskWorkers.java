package dev.haredis.queue;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The workers of every queue that has a handler: {@code concurrency} threads per queue, started with the
 * application (last) and stopped first. A stop lets the tasks in progress finish within the shutdown timeout and
 * hands those read but not started to the other workers; a task still running then is interrupted and, being
 * unacknowledged, taken over by another worker after the visibility timeout. Each worker runs under a
 * {@link WorkerSupervisor}, which restarts its loop if it ever fails.
 * <p>
 * Public because the auto-configuration ({@code dev.haredis.autoconfigure.queue}) creates it; applications do
 * not call it (the application context starts and stops it).
 */
public class TaskWorkers implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TaskWorkers.class);

	private final TaskHandlers handlers;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final TaskPayloads payloads;

	private final TaskQueueSettings settings;

	private final TaskQueueObserver observer;

	private final Clock clock;

	private final String consumerPrefix;

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Create a new instance.
	 * @param handlers the handlers, one per queue
	 * @param connectionFactory the queue's connection factory; each worker holds a connection of its own
	 * @param redis operations on the same factory
	 * @param payloads how payloads are read
	 * @param settings the queue settings
	 * @param observer told what the workers do
	 * @param clock the clock
	 */
	public TaskWorkers(TaskHandlers handlers, RedisConnectionFactory connectionFactory, StringRedisTemplate redis,
			TaskPayloads payloads, TaskQueueSettings settings, TaskQueueObserver observer, Clock clock) {
		this.handlers = handlers;
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.payloads = payloads;
		this.settings = settings;
		this.observer = observer;
		this.clock = clock;
		// pid@host: tells the workers of different processes apart in XINFO CONSUMERS.
		this.consumerPrefix = ManagementFactory.getRuntimeMXBean().getName();
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		QueueKeys keys = QueueKeys.of(this.settings);
		for (String queue : this.handlers.queues()) {
			TaskHandlers.Registration handler = this.handlers.get(queue);
			for (int i = 0; i < this.settings.concurrency(); i++) {
				String consumer = this.consumerPrefix + "-" + i;
				TaskOutcomes outcomes = new TaskOutcomes(queue, this.settings, this.redis, this.payloads,
						this.observer, this.clock);
				TaskRunner runner = new TaskRunner(queue, handler, this.payloads, this.settings, this.observer,
						outcomes, () -> this.running);
				Runnable housekeeping = (i == 0) ? QueueHousekeeping.of(queue, consumer, this.settings, this.redis,
						this.observer, this.clock, runner) : TaskWorkers::nothing;
				QueueWorker worker = new QueueWorker(queue, consumer, housekeeping, runner, this.connectionFactory,
						this.redis, this.settings, () -> this.running);
				WorkerSupervisor supervisor = new WorkerSupervisor(queue, consumer, worker, this.observer,
						() -> this.running);
				Thread thread = new Thread(supervisor, "ha-redis-queue-" + queue + "-" + i);
				thread.setDaemon(true);
				this.threads.add(thread);
			}
			logger.info("Starting " + this.settings.concurrency() + " worker(s) for queue '" + queue + "' (stream '"
					+ keys.stream(queue) + "', group '" + this.settings.group() + "')");
		}
		this.threads.forEach(Thread::start);
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		for (Thread thread : this.threads) {
			long remaining = deadline - System.nanoTime();
			try {
				if (remaining > 0) {
					thread.join(Math.max(1, remaining / 1_000_000));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		for (Thread thread : this.threads) {
			if (thread.isAlive()) {
				logger.warn("Interrupting " + thread.getName() + ", still running a task after the shutdown timeout ("
						+ this.settings.shutdownTimeout() + "); it will be taken over after the visibility timeout");
				thread.interrupt();
			}
		}
		this.threads.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * What the other workers of a queue do between two reads: the first one does the housekeeping.
	 */
	private static void nothing() {
	}

}
