package dev.haredis.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.core.NestedExceptionUtils;

/**
 * Issues one write every few milliseconds on its own thread and records every outcome. Stops when asked, and by
 * itself after a bounded time.
 */
final class Writer implements AutoCloseable {

	private static final Duration INTERVAL = Duration.ofMillis(5);

	private static final Duration MAX_RUN = Duration.ofSeconds(90);

	private final List<WriteOutcome> outcomes = new ArrayList<>();

	private final Thread thread;

	private volatile boolean stopped;

	Writer(String name, Consumer<Long> write) {
		this.thread = new Thread(() -> run(write), "drill-writer-" + name);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run(Consumer<Long> write) {
		long deadline = System.nanoTime() + MAX_RUN.toNanos();
		for (long sequence = 0; !this.stopped && System.nanoTime() < deadline; sequence++) {
			long start = System.nanoTime();
			String error = null;
			try {
				write.accept(sequence);
			}
			catch (RuntimeException ex) {
				Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
				error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
			}
			WriteOutcome outcome = new WriteOutcome(sequence, start, System.nanoTime(), error);
			synchronized (this.outcomes) {
				this.outcomes.add(outcome);
			}
			long sleep = INTERVAL.toNanos() - (System.nanoTime() - start);
			if (sleep > 0) {
				try {
					Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.stopped = true;
		// A write may be stalled on a frozen master for up to the command timeout.
		this.thread.join(Duration.ofSeconds(70).toMillis());
		this.thread.interrupt();
	}

	List<WriteOutcome> outcomes() {
		synchronized (this.outcomes) {
			return List.copyOf(this.outcomes);
		}
	}

}
