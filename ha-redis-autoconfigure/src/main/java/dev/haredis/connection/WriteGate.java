package dev.haredis.connection;

import org.jspecify.annotations.Nullable;

/**
 * Whether the application's connections may send writes to the master now. A closed gate makes every write
 * command fail at once with its refusal, before it leaves the application; reads, pub/sub and connection commands
 * go on.
 */
@FunctionalInterface
public interface WriteGate {

	/** A gate that never refuses. */
	WriteGate OPEN = () -> null;

	/**
	 * Return the exception a write fails with now, or {@code null} while writes may go.
	 * @return the refusal
	 */
	@Nullable RuntimeException refusal();

}
