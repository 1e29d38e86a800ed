package dev.haredis.test;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The bound of a partition: heals it after its maximum duration unless it was healed first, on a daemon thread, so
 * that no partition outlives a test that forgot it or failed.
 */
public final class PartitionBound {

	private final Object owner;

	private final Runnable heal;

	private @Nullable Thread timer;

	private long generation;

	/**
	 * Create the bound of the partitions one {@code heal} removes.
	 * @param owner the object whose lock {@code heal} and the partitioning take: a timer heals under it, and only
	 * if no heal and new partition came in between
	 * @param heal what heals them (it calls {@link #cancel()})
	 */
	public PartitionBound(Object owner, Runnable heal) {
		this.owner = owner;
		this.heal = heal;
	}

	/**
	 * Heal after {@code maxDuration}, unless a timer already runs (the first partition's bound holds for all).
	 * Start it before making the partition, so that a partition half made still heals.
	 * @param maxDuration when to heal at the latest
	 */
	public synchronized void start(Duration maxDuration) {
		if (this.timer != null) {
			return;
		}
		long started = ++this.generation;
		Thread thread = new Thread(() -> {
			try {
				Thread.sleep(maxDuration.toMillis());
			}
			catch (InterruptedException ex) {
				// Healed before its bound.
				return;
			}
			synchronized (this.owner) {
				if (isCurrent(started)) {
					this.heal.run();
				}
			}
		}, "ha-redis-test-partition-bound");
		thread.setDaemon(true);
		this.timer = thread;
		thread.start();
	}

	/**
	 * Stop the timer: the partition was healed.
	 */
	public synchronized void cancel() {
		Thread scheduled = this.timer;
		this.timer = null;
		this.generation++;
		if (scheduled != null && scheduled != Thread.currentThread()) {
			scheduled.interrupt();
		}
	}

	/**
	 * Return whether a timer runs.
	 * @return whether a partition awaits its bound
	 */
	public synchronized boolean running() {
		return this.timer != null;
	}

	private synchronized boolean isCurrent(long started) {
		return this.generation == started;
	}

}
