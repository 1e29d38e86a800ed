package dev.haredis.drill;

import org.jspecify.annotations.Nullable;

/**
 * One write of the drill workload.
 *
 * @param sequence the write's number, also in its key
 * @param startNanos when it was issued ({@link System#nanoTime()})
 * @param endNanos when it returned
 * @param error the error it failed with, or {@code null} when acknowledged
 */
record WriteOutcome(long sequence, long startNanos, long endNanos, @Nullable String error) {

	boolean acknowledged() {
		return this.error == null;
	}

}
