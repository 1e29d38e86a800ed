package dev.haredis.queue;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.haredis.internal.BackgroundThreads;

/**
 * Keeps one worker alive: runs its loop, and when the loop fails anyway (a bug, an {@link Error} outside a
 * handler, an {@link OutOfMemoryError}), logs the failure with its stack trace, tells the observers (the
 * {@code ha.redis.queue.worker.restarts} meter, the {@code redisQueue} health, which is {@code DOWN} while a queue
 * has no live worker) and restarts the loop after a back-off of 100 ms, doubling up to 5 s (back to 100 ms after a
 * minute without failure). Only the application's stop ends it: workers are interrupted only then, so an
 * interrupt while the application runs (a handler that sets the flag again) is cleared, never taken for a stop.
 */
final class WorkerSupervisor implements Runnable {

	private static final Log logger = LogFactory.getLog(WorkerSupervisor.class);

	static final Duration FIRST_BACK_OFF = Duration.ofMillis(100);

	static final Duration LONGEST_BACK_OFF = Duration.ofSeconds(5);

	private static final long HEALTHY_RUN_NANOS = Duration.ofMinutes(1).toNanos();

	private final String queue;

	private final String consumer;

	private final Runnable worker;

	private final TaskQueueObserver observer;

	private final BooleanSupplier running;

	WorkerSupervisor(String queue, String consumer, Runnable worker, TaskQueueObserver observer,
			BooleanSupplier running) {
		this.queue = queue;
		this.consumer = consumer;
		this.worker = worker;
		this.observer = observer;
		this.running = running;
	}

	@Override
	public void run() {
		Duration backOff = FIRST_BACK_OFF;
		try {
			while (this.running.getAsBoolean()) {
				// Workers are interrupted only once the application stops: while it runs, an interrupt (left by a
				// handler, or by anything else on this thread) must not end the worker.
				Thread.interrupted();
				tell(() -> this.observer.workerStarted(this.queue, this.consumer));
				long started = System.nanoTime();
				Throwable failure = null;
				try {
					this.worker.run();
				}
				catch (Throwable ex) {
					failure = ex;
				}
				if (!this.running.getAsBoolean()) {
					return;
				}
				if (System.nanoTime() - started > HEALTHY_RUN_NANOS) {
					backOff = FIRST_BACK_OFF;
				}
				String reason = (failure != null) ? ErrorTexts.loggable(ErrorTexts.describe(failure))
						: "its loop returned";
				logger.error("Worker " + this.consumer + " of queue '" + this.queue + "' failed (" + reason
						+ "); restarting it in " + backOff.toMillis() + " ms", failure);
				tell(() -> this.observer.workerFailed(this.queue, this.consumer, reason));
				Thread.interrupted();
				if (!BackgroundThreads.pause(backOff) && !this.running.getAsBoolean()) {
					return;
				}
				backOff = (backOff.compareTo(LONGEST_BACK_OFF.dividedBy(2)) < 0) ? backOff.multipliedBy(2)
						: LONGEST_BACK_OFF;
			}
		}
		finally {
			if (this.running.getAsBoolean()) {
				// Failing itself (out of memory while logging): the queue has one worker less.
				logger.error("Worker " + this.consumer + " of queue '" + this.queue + "' ended while the application "
						+ "runs; it is not restarted");
				tell(() -> this.observer.workerEnded(this.queue, this.consumer, "its thread ended"));
			}
			else {
				tell(() -> this.observer.workerStopped(this.queue, this.consumer));
			}
		}
	}

	/**
	 * Tell the observers, which must not stop the supervisor: a failing one is logged.
	 */
	private void tell(Runnable call) {
		try {
			call.run();
		}
		catch (Throwable ex) {
			logger.warn("A task queue observer failed on worker " + this.consumer + " of queue '" + this.queue + "'",
					ex);
		}
	}

}
