package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Where a new connection goes, as the {@link TopologyCore} last published it: read by connection threads without
 * waiting for the topology thread. An immutable value; the decision is a pure function of it and the time.
 *
 * @param master the last verified master
 * @param verifiedAt when it was last verified by a discovery
 * @param monitored whether the topology follows the sentinels (then the master it follows is always current)
 * @param heldUntil until when new connections wait for a promotion under way, if they do
 */
record MasterRoute(@Nullable NodeAddress master, @Nullable Instant verifiedAt, boolean monitored,
		@Nullable Instant heldUntil) {

	/** Without monitoring, connections opened this soon after a verification reuse it. */
	static final Duration REUSE_VERIFICATION = Duration.ofMillis(250);

	static final MasterRoute NONE = new MasterRoute(null, null, false, null);

	/**
	 * Return whether new connections must wait: a sentinel announced that it promotes a replica of the master in
	 * use, and writes are held until the replica answers as master (or the hold ends).
	 * @param now the time
	 * @return whether connections are held
	 */
	boolean heldAt(Instant now) {
		return this.heldUntil != null && now.isBefore(this.heldUntil);
	}

	/**
	 * Return the master a connection opened now may use at once.
	 * @param now the time
	 * @return the master, or {@code null} when it must be found or verified first (without monitoring, the
	 * sentinels are asked again for each new connection, as the sentinel client rules ask)
	 */
	@Nullable NodeAddress usableAt(Instant now) {
		if (this.master == null) {
			return null;
		}
		if (this.monitored) {
			return this.master;
		}
		return (this.verifiedAt != null && now.isBefore(this.verifiedAt.plus(REUSE_VERIFICATION))) ? this.master
				: null;
	}

}
