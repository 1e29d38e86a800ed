package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The replica a sentinel is promoting, watched from {@code +selected-slave} until it answers as master. A sentinel
 * announces {@code +switch-master} only after its next {@code INFO} poll, up to a second after the replica took the
 * master role, while the old master may still accept writes that will be lost: polling the replica's role closes
 * most of that window. Part of the {@link TopologyCore}: it decides when to poll and when to give up; the shell
 * polls.
 */
final class PromotionWatch {

	/** How long to wait between two polls. */
	static final Duration POLL_INTERVAL = Duration.ofMillis(10);

	/** How long one poll may take; a slow one is abandoned and the next one tries a new connection. */
	static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

	/** How long to poll at most; checks with the sentinels and {@code +switch-master} take over after that. */
	static final Duration LIMIT = Duration.ofSeconds(15);

	private final Duration hold;

	private TopologyDecision.@Nullable WatchPromotion current;

	private Instant deadline = Instant.MIN;

	private @Nullable Instant heldUntil;

	/**
	 * Create a watch.
	 * @param hold how long new writes may wait for the promoted replica (zero: not at all)
	 */
	PromotionWatch(Duration hold) {
		this.hold = hold;
	}

	/**
	 * Hold new connections to the master in use while the watched replica is promoted, at most the hold.
	 * @param master the master in use
	 * @param now when the sentinel selected the replica
	 * @return until when connections are held, or {@code null} when they are not
	 */
	@Nullable Instant hold(NodeAddress master, Instant now) {
		TopologyDecision.WatchPromotion watch = this.current;
		if (this.hold.isZero() || watch == null || watch.candidate().equals(master)) {
			return null;
		}
		this.heldUntil = now.plus(this.hold);
		return this.heldUntil;
	}

	/**
	 * Return until when new connections are held.
	 * @return the end of the hold, or {@code null} when none is held
	 */
	@Nullable Instant heldUntil() {
		return this.heldUntil;
	}

	/**
	 * Start watching a replica (instead of any other).
	 * @param watch the replica and the sentinel promoting it
	 * @param now when the sentinel selected it
	 * @param decisions where the decisions go
	 */
	void start(TopologyDecision.WatchPromotion watch, Instant now, List<TopologyDecision> decisions) {
		stop(decisions);
		this.current = watch;
		this.deadline = now.plus(LIMIT);
		decisions.add(watch);
		decisions.add(new TopologyDecision.PollPromotion(watch, Duration.ZERO, POLL_TIMEOUT));
	}

	/**
	 * A poll answered.
	 * @param watch the watch it belongs to
	 * @param answer what the replica answered
	 * @param master the master in use
	 * @param now when
	 * @param decisions where the next poll, or the end of the watch, goes
	 * @return whether the replica answered as master for the current watch
	 */
	boolean polled(TopologyDecision.WatchPromotion watch, SentinelCheck.RoleAnswer answer,
			@Nullable NodeAddress master, Instant now, List<TopologyDecision> decisions) {
		if (!watch.equals(this.current)) {
			return false;
		}
		if (this.heldUntil != null && !now.isBefore(this.heldUntil)) {
			// The promotion takes longer than writes may wait: they go to the master in use again.
			this.heldUntil = null;
		}
		if (answer.isMaster()) {
			stop(decisions);
			return true;
		}
		if (now.isAfter(this.deadline) || watch.candidate().equals(master)) {
			stop(decisions);
		}
		else {
			decisions.add(new TopologyDecision.PollPromotion(watch, POLL_INTERVAL, POLL_TIMEOUT));
		}
		return false;
	}

	/**
	 * Stop watching, if a replica is watched.
	 * @param decisions where the decision goes
	 */
	void stop(List<TopologyDecision> decisions) {
		this.heldUntil = null;
		if (this.current != null) {
			this.current = null;
			decisions.add(new TopologyDecision.StopWatchingPromotion());
		}
	}

}
