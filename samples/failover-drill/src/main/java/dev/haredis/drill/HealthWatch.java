package dev.haredis.drill;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Polls each client's health every 20 ms from a fault on, on a thread per client (a health call on a stalled
 * connection blocks its own thread only), and keeps when each first went from {@code UP} to anything else.
 */
final class HealthWatch implements AutoCloseable {

	private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

	private final Map<String, Long> firstNotUp = new ConcurrentHashMap<>();

	private volatile boolean stopped;

	HealthWatch(Map<String, BooleanSupplier> healthUp) {
		healthUp.forEach((client, up) -> {
			Thread thread = new Thread(() -> poll(client, up), "drill-health-" + client);
			thread.setDaemon(true);
			thread.start();
		});
	}

	private void poll(String client, BooleanSupplier up) {
		boolean seenUp = false;
		while (!this.stopped) {
			boolean healthy;
			try {
				healthy = up.getAsBoolean();
			}
			catch (RuntimeException ex) {
				healthy = false;
			}
			if (healthy) {
				seenUp = true;
			}
			else if (seenUp && !this.stopped) {
				this.firstNotUp.put(client, System.nanoTime());
				return;
			}
			DrillPause.pause(POLL_INTERVAL);
		}
	}

	/**
	 * Return when a client's health first stopped being {@code UP}.
	 * @param client the client
	 * @return {@link System#nanoTime()} then, or 0 when it stayed {@code UP} (or never was)
	 */
	long firstNotUp(String client) {
		return this.firstNotUp.getOrDefault(client, 0L);
	}

	@Override
	public void close() {
		// Threads end at their next poll; one blocked in a health call on a stalled connection ends with the call.
		this.stopped = true;
	}

}
