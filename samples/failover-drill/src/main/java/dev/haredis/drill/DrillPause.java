package dev.haredis.drill;

import java.time.Duration;

/**
 * The drill's waits. An interrupt ends the drill: a round cut short would report made-up gaps.
 */
final class DrillPause {

	private DrillPause() {
	}

	static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static void pauseUntil(long nanos) {
		long remaining = nanos - System.nanoTime();
		if (remaining > 0) {
			pause(Duration.ofNanos(remaining));
		}
	}

}
