package dev.haredis.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Writes {@code prefix:N = N} every few milliseconds on its own thread and records each outcome. Stops by itself
 * after a bounded time, or when closed.
 */
final class BackgroundWriter implements AutoCloseable {

	private static final Duration MAX_RUN = Duration.ofSeconds(90);

	private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

	private final Thread thread;

	private volatile boolean stopped;

	BackgroundWriter(StringRedisTemplate redis, String prefix) {
		this.thread = new Thread(() -> {
			long deadline = System.nanoTime() + MAX_RUN.toNanos();
			for (long i = 0; !this.stopped && System.nanoTime() < deadline; i++) {
				Instant started = Instant.now();
				String error = null;
				try {
					redis.opsForValue().set(prefix + ":" + i, Long.toString(i));
				}
				catch (RuntimeException ex) {
					error = String.valueOf(NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
				}
				if (error != null && this.stopped) {
					// Interrupted by close(): not a failure of the write.
					return;
				}
				this.outcomes.add(new Outcome(i, started, Instant.now(), error));
				try {
					Thread.sleep(5);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "background-writer");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	List<Outcome> outcomes() {
		return List.copyOf(this.outcomes);
	}

	List<Outcome> failuresSince(Instant instant) {
		return outcomes().stream().filter((outcome) -> outcome.error() != null && outcome.end().isAfter(instant)).toList();
	}

	boolean succeededAfter(Instant instant) {
		return outcomes().stream().anyMatch((outcome) -> outcome.error() == null && outcome.start().isAfter(instant));
	}

	@Override
	public void close() throws InterruptedException {
		this.stopped = true;
		this.thread.interrupt();
		this.thread.join(10_000);
	}

	record Outcome(long index, Instant start, Instant end, @Nullable String error) {

	}

}
