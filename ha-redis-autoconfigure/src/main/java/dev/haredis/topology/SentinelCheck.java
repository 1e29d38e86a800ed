package dev.haredis.topology;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One check with the sentinels: what each followed sentinel answered, the answer followed and the role check of
 * the master it names. Gathered by the shell (blocking I/O) from a {@link Request} the core made, and handed back to
 * the core to decide.
 *
 * @param views what each sentinel answered
 * @param best the answer followed ({@link SentinelTrust#best})
 * @param candidate the master whose role was checked
 * @param role what its role check answered
 * @param staleReturn whether the sentinels still name the master the application just left, while the promoted one
 * answers as master
 * @param master the master the application used when the check started
 * @param unconfirmed the masters only unconfirmed sentinels name, by sentinel
 */
record SentinelCheck(List<SentinelView> views, @Nullable SentinelView best, @Nullable NodeAddress candidate,
		RoleAnswer role, boolean staleReturn, @Nullable DiscoveredMaster master,
		Map<NodeAddress, NodeAddress> unconfirmed) {

	/**
	 * What a role check answered, or why it failed.
	 *
	 * @param role the answer, if there was one
	 * @param problem why there was none
	 * @param unreachable whether the node could not be reached at all
	 */
	record RoleAnswer(@Nullable RoleCheck role, @Nullable String problem, boolean unreachable) {

		static final RoleAnswer NONE = new RoleAnswer(null, null, false);

		boolean isMaster() {
			return this.role != null && this.role.isMaster();
		}

	}

	/**
	 * What the core wants checked: the sentinels to ask and what it knew when it asked.
	 *
	 * @param sentinels the sentinels to ask
	 * @param master the master in use
	 * @param left the master the application last moved away from
	 * @param leftAtEpoch the highest configuration epoch known when it did
	 * @param known the nodes the application knows already
	 * @param trust which answers count
	 */
	record Request(List<NodeAddress> sentinels, @Nullable DiscoveredMaster master, @Nullable NodeAddress left,
			long leftAtEpoch, Set<NodeAddress> known, SentinelTrust trust) {

		/**
		 * Decide, from the sentinels' answers, whose role to check: the master they name, or, when they still name
		 * the master the application just left without a newer epoch, first the promoted master in use (dead after
		 * a kill, still a master in a manual failover, the old one is named until {@code +switch-master}).
		 * @param views what each sentinel answered
		 * @return the plan
		 */
		Plan plan(List<SentinelView> views) {
			SentinelView best = this.trust.best(views, this.known);
			Map<NodeAddress, NodeAddress> unconfirmed = this.trust.unconfirmed(views, this.known);
			NodeAddress candidate = (best != null) ? best.master()
					: (this.master != null) ? this.master.address() : null;
			boolean staleReturn = best != null && this.master != null && candidate != null && candidate.equals(this.left)
					&& !candidate.equals(this.master.address()) && best.configEpoch() <= this.leftAtEpoch;
			return new Plan(best, candidate, staleReturn, unconfirmed);
		}

	}

	/**
	 * Whose role a check asks.
	 *
	 * @param best the answer followed
	 * @param candidate the master it names (or the one in use, when none does)
	 * @param staleReturn whether to ask the master in use first
	 * @param unconfirmed the masters only unconfirmed sentinels name
	 */
	record Plan(@Nullable SentinelView best, @Nullable NodeAddress candidate, boolean staleReturn,
			Map<NodeAddress, NodeAddress> unconfirmed) {

	}

}
