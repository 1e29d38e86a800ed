package dev.haredis.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * The threads ha-redis runs in the background: named, so they can be told apart in a thread dump, and daemon, so
 * they never keep a JVM alive.
 */
public final class BackgroundThreads {

	private BackgroundThreads() {
	}

	/**
	 * Return a factory of daemon threads with the given name.
	 * @param name the threads' name
	 * @return the factory
	 */
	public static ThreadFactory named(String name) {
		return (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Hand a task to an executor, unless it is shutting down: a task that comes while its owner stops has nothing
	 * left to do.
	 * @param executor the executor
	 * @param task the task
	 */
	public static void executeUnlessStopping(Executor executor, Runnable task) {
		try {
			executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Shutting down.
		}
	}

	/**
	 * Sleep, keeping the interrupt flag when interrupted.
	 * @param duration how long
	 * @return {@code false} when interrupted, so the caller can stop
	 */
	public static boolean pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
