package dev.haredis.topology;

import java.time.Instant;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The answers of checks with the sentinels, as the {@link TopologyCore} takes them: the sentinels followed and
 * forgotten, lost and regained, a switch when they name another verified master, and the snapshot. Part of the
 * core: no I/O.
 */
final class SentinelCheckIntake {

	private static final Log logger = LogFactory.getLog(SentinelCheckIntake.class);

	private final SentinelTrust trust;

	private final SentinelRoster roster;

	private final KnownMaster known;

	private final FailoverWatch failover;

	private final SentinelReachability reachability;

	private final SentinelEventIntake events;

	private final SentinelEventIntake.MasterUse master;

	private volatile long errors;

	SentinelCheckIntake(SentinelTrust trust, SentinelRoster roster, KnownMaster known, FailoverWatch failover,
			SentinelReachability reachability, SentinelEventIntake events, SentinelEventIntake.MasterUse master) {
		this.trust = trust;
		this.roster = roster;
		this.known = known;
		this.failover = failover;
		this.reachability = reachability;
		this.events = events;
		this.master = master;
	}

	/**
	 * Return how many checks found no verified master, or could not be made.
	 * @return the count
	 */
	long errors() {
		return this.errors;
	}

	/** A check could not be made at all. */
	void failed() {
		this.errors++;
	}

	/**
	 * A check answered: switch if the sentinels name another verified master, follow and forget sentinels, and
	 * refresh the snapshot. Going back to the master the application just left is refused, and the promoted master
	 * counts as verified, while the sentinels have not published a newer configuration epoch and the master in use
	 * answers as master: right after a promotion the sentinels still name the old master (dead after a kill, still
	 * a master in a manual failover) until {@code +switch-master}.
	 */
	void checked(SentinelCheck check, Instant now, List<TopologyDecision> decisions) {
		this.roster.answered(check.views());
		this.roster.update(check.views(), decisions);
		// What forgotten sentinels said still counts for the master, not as sentinels of their own.
		List<SentinelView> followed = check.views().stream().filter((view) -> this.roster.follows(view.sentinel())).toList();
		this.reachability.track(followed, this.roster.followed(), now, decisions);
		if (this.known.master() != check.master()) {
			// The application switched while the check ran; its answer is already out of date.
			decisions.add(new TopologyDecision.Reconcile("switched during the check"));
			return;
		}
		NodeAddress candidate = check.candidate();
		boolean verified = check.role().isMaster();
		SentinelView best = check.best();
		if (check.staleReturn()) {
			logger.debug("Sentinels still name " + ((best != null) ? best.master() : null)
					+ "; staying on the promoted master " + candidate + " until their configuration catches up");
		}
		else if (verified && best != null && candidate != null) {
			this.master.use(new DiscoveredMaster(candidate, best.sentinel(), List.of()),
					"reconciliation: sentinel " + best.sentinel() + " names " + candidate, now, decisions);
		}
		if (!verified) {
			this.errors++;
		}
		this.trust.reportUnconfirmed(check.unconfirmed());
		this.known.checked(check, best, verified ? check.role().role() : null, followed, this.failover.inProgress(),
				this.events.history(), now);
		this.reachability.health(this.known.snapshot(), now, decisions);
	}

}
