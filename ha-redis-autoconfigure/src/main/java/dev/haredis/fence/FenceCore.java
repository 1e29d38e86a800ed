package dev.haredis.fence;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The fence's decisions, without I/O and fed by one thread. A probe is a replicated write followed by
 * {@code WAIT}: when enough replicas acknowledge it, every write the master acknowledged before the probe was sent is
 * on a replica. The fence closes once the newest acknowledged probe was sent more than {@code maxReplicaLag} ago,
 * and opens again when a probe sent within that time is acknowledged, or when a new master is verified.
 */
final class FenceCore {

	private final Duration maxReplicaLag;

	private final Duration probeInterval;

	private final int minReplicas;

	private Instant acknowledgedUpTo;

	private @Nullable Instant probeSentAt;

	private @Nullable Instant lastProbeSentAt;

	private @Nullable String lastProblem;

	private @Nullable String closedBecause;

	private long generation;

	FenceCore(Duration maxReplicaLag, Duration probeInterval, int minReplicas, Instant now) {
		this.maxReplicaLag = maxReplicaLag;
		this.probeInterval = probeInterval;
		this.minReplicas = minReplicas;
		this.acknowledgedUpTo = now;
	}

	/**
	 * Return whether a probe should be sent now: none is in flight and the interval has passed since the last.
	 * @param now the time
	 * @return whether to probe
	 */
	boolean probeDue(Instant now) {
		return this.probeSentAt == null
				&& (this.lastProbeSentAt == null || !now.isBefore(this.lastProbeSentAt.plus(this.probeInterval)));
	}

	/**
	 * A probe was sent.
	 * @param now when
	 * @return the probe's generation, to hand back with its answer
	 */
	long probeSent(Instant now) {
		this.probeSentAt = now;
		this.lastProbeSentAt = now;
		return this.generation;
	}

	/**
	 * A probe's {@code WAIT} answered.
	 * @param generation the generation {@link #probeSent} returned
	 * @param replicas how many replicas acknowledged it
	 * @param now when
	 * @return the change of state, if any
	 */
	@Nullable FenceChange probeAnswered(long generation, long replicas, Instant now) {
		Instant sentAt = this.probeSentAt;
		if (generation != this.generation || sentAt == null) {
			return null;
		}
		this.probeSentAt = null;
		if (replicas >= this.minReplicas) {
			this.lastProblem = null;
			if (sentAt.isAfter(this.acknowledgedUpTo)) {
				this.acknowledgedUpTo = sentAt;
			}
		}
		else {
			this.lastProblem = replicas + " of the " + this.minReplicas + " replica(s) needed acknowledged within "
					+ this.maxReplicaLag.toMillis() + " ms";
		}
		return evaluate(now);
	}

	/**
	 * A probe failed: the master could not be reached or refused it.
	 * @param generation the generation {@link #probeSent} returned
	 * @param problem why
	 * @param now when
	 * @return the change of state, if any
	 */
	@Nullable FenceChange probeFailed(long generation, String problem, Instant now) {
		if (generation != this.generation) {
			return null;
		}
		this.probeSentAt = null;
		this.lastProblem = problem;
		return evaluate(now);
	}

	/**
	 * Time passed.
	 * @param now the time
	 * @return the change of state, if any
	 */
	@Nullable FenceChange tick(Instant now) {
		return evaluate(now);
	}

	/**
	 * A new master was verified: its writes start now, and a probe of the old master no longer counts.
	 * @param now when
	 * @return the change of state, if any
	 */
	@Nullable FenceChange masterSwitched(Instant now) {
		this.generation++;
		this.probeSentAt = null;
		this.lastProbeSentAt = null;
		this.lastProblem = null;
		this.acknowledgedUpTo = now;
		return evaluate(now);
	}

	/**
	 * Return why the fence is closed, or {@code null} while it is open.
	 * @return the reason
	 */
	@Nullable String closedBecause() {
		return this.closedBecause;
	}

	/**
	 * Return since when no write of the master is known to be on enough replicas.
	 * @return the send time of the newest acknowledged probe, or of the master's verification
	 */
	Instant acknowledgedUpTo() {
		return this.acknowledgedUpTo;
	}

	private @Nullable FenceChange evaluate(Instant now) {
		Duration unacknowledged = Duration.between(this.acknowledgedUpTo, now);
		boolean lagging = unacknowledged.compareTo(this.maxReplicaLag) > 0;
		if (lagging && this.closedBecause == null) {
			this.closedBecause = "no write of the last " + unacknowledged.toMillis() + " ms is known to be on "
					+ this.minReplicas + " replica(s) (ha.redis.fence.max-replica-lag=" + this.maxReplicaLag.toMillis()
					+ "ms)" + ((this.lastProblem != null) ? ": " + this.lastProblem : "");
			return new FenceChange(true, this.closedBecause, unacknowledged);
		}
		if (!lagging && this.closedBecause != null) {
			this.closedBecause = null;
			return new FenceChange(false, null, unacknowledged);
		}
		return null;
	}

	/**
	 * The fence closed or opened.
	 *
	 * @param closed whether it closed
	 * @param reason why it closed
	 * @param unacknowledged how long no write was known to be on enough replicas
	 */
	record FenceChange(boolean closed, @Nullable String reason, Duration unacknowledged) {
	}

}
