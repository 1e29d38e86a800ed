package dev.haredis.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;

/**
 * A command sent again when the cluster refuses it for a moment: {@code CLUSTERDOWN} (every node refuses commands
 * while a failed master is not yet replaced) or {@code TRYAGAIN} (keys of a multi-key command are moving). Such a
 * command was not executed, so sending it again is safe; it is sent again after a short pause that doubles up to
 * {@value #MAX_PAUSE_MILLIS} ms, until it succeeds, fails otherwise, or its time is up, when the caller gets the
 * error.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @param <T> the result type
 */
final class ClusterDownRetry<K, V, T> extends CommandWrapper<K, V, T> {

	private static final long FIRST_PAUSE_MILLIS = 10;

	private static final long MAX_PAUSE_MILLIS = 100;

	private final Consumer<RedisCommand<K, V, T>> resend;

	private final ClientResources resources;

	private final long deadline;

	private long pause = FIRST_PAUSE_MILLIS;

	ClusterDownRetry(RedisCommand<K, V, T> command, Duration budget, Consumer<RedisCommand<K, V, T>> resend,
			ClientResources resources) {
		super(command);
		this.resend = resend;
		this.resources = resources;
		this.deadline = System.nanoTime() + budget.toNanos();
	}

	/**
	 * Whether an error is one the cluster answers for a moment only, without executing the command.
	 * @param error the error
	 * @return whether to send the command again
	 */
	static boolean isMomentary(String error) {
		return error.startsWith("CLUSTERDOWN") || error.startsWith("TRYAGAIN");
	}

	private void resend() {
		if (isDone()) {
			return;
		}
		try {
			this.resend.accept(this);
		}
		catch (RuntimeException ex) {
			completeExceptionally(ex);
		}
	}

	@Override
	public void complete() {
		CommandOutput<K, V, T> output = getOutput();
		String error = (output != null) ? output.getError() : null;
		if (error != null && isMomentary(error) && !isDone() && System.nanoTime() + this.pause * 1_000_000 < this.deadline) {
			output.setError((String) null);
			long wait = this.pause;
			this.pause = Math.min(this.pause * 2, MAX_PAUSE_MILLIS);
			try {
				this.resources.eventExecutorGroup().schedule(this::resend, wait, TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException ex) {
				// The event loops are shutting down: the caller gets an error, never a command left waiting.
				completeExceptionally(ex);
			}
			return;
		}
		super.complete();
	}

}
