package dev.haredis.drill;

import java.time.Duration;

import dev.haredis.test.RedisProcess;
import dev.haredis.test.RespConnection;

/**
 * When a replica became master: it is asked {@code ROLE} every 2 ms on a connection of its own, for 60 s at most.
 */
final class PromotionClock implements AutoCloseable {

	private static final Duration MAX_WATCH = Duration.ofSeconds(60);

	private final Thread thread;

	private volatile long promotedAt;

	private volatile boolean stopped;

	PromotionClock(RedisProcess replica) {
		this.thread = new Thread(() -> watch(replica), "drill-promotion-clock");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void watch(RedisProcess replica) {
		long deadline = System.nanoTime() + MAX_WATCH.toNanos();
		try (RespConnection connection = RespConnection.open(replica.port(), Duration.ofSeconds(1))) {
			while (!this.stopped && System.nanoTime() < deadline) {
				Object role = connection.command("ROLE");
				if (role instanceof java.util.List<?> reply && "master".equals(String.valueOf(reply.get(0)))) {
					this.promotedAt = System.nanoTime();
					return;
				}
				DrillPause.pause(Duration.ofMillis(2));
			}
		}
	}

	/**
	 * Wait until the replica answers as master.
	 * @param timeout how long to wait at most
	 * @return when it first did ({@link System#nanoTime()})
	 */
	long awaitPromotion(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.promotedAt == 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The replica was not promoted within " + timeout);
			}
			DrillPause.pause(Duration.ofMillis(1));
		}
		return this.promotedAt;
	}

	@Override
	public void close() {
		this.stopped = true;
	}

}
