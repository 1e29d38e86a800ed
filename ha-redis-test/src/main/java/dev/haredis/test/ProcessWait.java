package dev.haredis.test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The topologies' bounded waits: poll every 50 ms until a probe gives a value; on time-out the message holds the log
 * tail of every process, which usually says why.
 */
final class ProcessWait {

	private ProcessWait() {
	}

	/**
	 * Poll {@code probe} every 50 ms until it gives a value, at most {@code timeout}.
	 * @param description what is waited for, for the message
	 * @param timeout how long to wait at most
	 * @param processes the processes whose log tails explain a time-out
	 * @param probe the value, or empty while not there yet
	 * @param <T> the value type
	 * @return the value
	 * @throws IllegalStateException on time-out
	 */
	static <T> T until(String description, Duration timeout, List<RedisProcess> processes,
			Supplier<Optional<T>> probe) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Optional<T> value = probe.get();
			if (value.isPresent()) {
				return value.get();
			}
			pause(Duration.ofMillis(50));
		}
		throw new IllegalStateException("Timed out after " + timeout + " waiting for " + description + "\n"
				+ processes.stream()
					.map((process) -> "--- " + process + " ---\n" + process.logTail())
					.collect(Collectors.joining("\n")));
	}

	/**
	 * Sleep between two probes, or between the steps of a fault.
	 * @param duration how long
	 * @throws IllegalStateException when interrupted, which stops the test rather than shortening the wait
	 */
	static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
