package dev.haredis.fence;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.haredis.connection.WriteGate;

/**
 * Whether writes may go to the master: closed while no write of the last {@code ha.redis.fence.max-replica-lag} is
 * known to be on enough replicas, which is what a master cut off from its replicas looks like. The
 * {@link ReplicationFenceProbe} opens and closes it; every ha-redis connection factory consults it before each
 * write ({@link WriteGate}).
 */
public class ReplicationFence implements WriteGate {

	private volatile @Nullable Closed closed;

	@Override
	public @Nullable RuntimeException refusal() {
		Closed current = this.closed;
		return (current != null) ? new WritesFencedException(current.reason()) : null;
	}

	/**
	 * Return whether writes are refused now.
	 * @return whether the fence is closed
	 */
	public boolean isClosed() {
		return this.closed != null;
	}

	/**
	 * Return why writes are refused, while they are.
	 * @return the reason, or empty while the fence is open
	 */
	public Optional<String> getClosedBecause() {
		Closed current = this.closed;
		return Optional.ofNullable(current).map(Closed::reason);
	}

	/**
	 * Return since when writes are refused, while they are.
	 * @return when the fence closed, or empty while it is open
	 */
	public Optional<Instant> getClosedSince() {
		Closed current = this.closed;
		return Optional.ofNullable(current).map(Closed::since);
	}

	void close(String reason, Instant since) {
		this.closed = new Closed(reason, since);
	}

	void open() {
		this.closed = null;
	}

	private record Closed(String reason, Instant since) {
	}

}
