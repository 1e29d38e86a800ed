package dev.haredis.durability;

import java.time.Duration;

import org.springframework.dao.TransientDataAccessException;

/**
 * A write reached the master but not enough replicas in time: it may be lost if the master fails now. The write is
 * not undone. Retry it only if it is idempotent, or check whether it took effect.
 */
public class WriteNotReplicatedException extends TransientDataAccessException {

	private final int required;

	private final long acknowledged;

	/**
	 * Create a new instance.
	 * @param required replicas required
	 * @param acknowledged replicas that acknowledged the write in time
	 * @param timeout how long was waited
	 */
	public WriteNotReplicatedException(int required, long acknowledged, Duration timeout) {
		super("Write reached the master but only " + acknowledged + " of the required " + required
				+ " replica(s) within " + timeout.toMillis() + "ms (ha.redis.durability.min-replicas); it may be lost "
				+ "in a failover");
		this.required = required;
		this.acknowledged = acknowledged;
	}

	/**
	 * Return how many replicas were required.
	 * @return the required replicas
	 */
	public int getRequired() {
		return this.required;
	}

	/**
	 * Return how many replicas acknowledged the write in time.
	 * @return the acknowledging replicas
	 */
	public long getAcknowledged() {
		return this.acknowledged;
	}

}
