package dev.haredis.topology;

import java.time.Instant;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Connections asking for the master: answered at once from the {@link MasterRoute} when it allows, otherwise by one
 * discovery at a time, whose outcome answers every caller waiting. When the sentinels cannot be reached, callers get
 * the last verified master, with one warning per outage. Part of the {@link TopologyCore}: no I/O.
 */
final class MasterRequests {

	private static final Log logger = LogFactory.getLog(MasterRequests.class);

	private boolean discovering;

	private boolean outageLogged;

	/**
	 * Find the master, unless a discovery is under way.
	 * @param decisions where the decision goes
	 */
	void discover(List<TopologyDecision> decisions) {
		if (!this.discovering) {
			this.discovering = true;
			decisions.add(new TopologyDecision.Discover());
		}
	}

	/**
	 * A connection wants the master.
	 * @param route the route as published
	 * @param now when
	 * @param decisions where the answer, or the discovery, goes
	 */
	void wanted(MasterRoute route, Instant now, List<TopologyDecision> decisions) {
		if (route.heldAt(now)) {
			// Answered when the hold ends: by the promoted replica, or the master in use.
			return;
		}
		NodeAddress usable = route.usableAt(now);
		if (usable != null) {
			decisions.add(new TopologyDecision.AnswerWaiters(usable, null));
		}
		else {
			discover(decisions);
		}
	}

	/**
	 * A discovery ended: answer the callers.
	 * @param discovered the master found
	 * @param failure why none was
	 * @param last the last verified master, to fall back on (none at start-up: the failure is reported there)
	 * @param decisions where the answer goes
	 */
	void discovered(@Nullable DiscoveredMaster discovered, @Nullable MasterDiscoveryException failure,
			@Nullable DiscoveredMaster last, List<TopologyDecision> decisions) {
		this.discovering = false;
		if (discovered != null) {
			this.outageLogged = false;
			decisions.add(new TopologyDecision.AnswerWaiters(discovered.address(), null));
			return;
		}
		if (last == null) {
			decisions.add(new TopologyDecision.AnswerWaiters(null, failure));
			return;
		}
		if (!this.outageLogged) {
			this.outageLogged = true;
			logger.warn("Could not verify the master again; connecting to the last verified master " + last.address()
					+ " until the sentinels answer: " + ((failure != null) ? failure.getMessage() : "no answer"));
		}
		decisions.add(new TopologyDecision.AnswerWaiters(last.address(), null));
	}

}
