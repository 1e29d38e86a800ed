package dev.haredis.topology;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The checks with the sentinels, one at a time: the sentinels are asked, then the role of the master they name (or,
 * when they still name the master the application just left, first the role of the one in use), and the
 * {@link SentinelCheck} is complete. A check wanted while one runs is made again after it: the one under way may
 * have asked before what prompted the request. Part of the {@link TopologyCore}: no I/O.
 */
final class CheckRounds {

	private long round;

	private SentinelCheck.@Nullable Request request;

	private List<SentinelView> views = List.of();

	private SentinelCheck.@Nullable Plan plan;

	/** Whether the role asked is the one of the master in use (a stale return), not the candidate's. */
	private boolean askingCurrent;

	private boolean again;

	boolean busy() {
		return this.request != null;
	}

	/**
	 * Begin a check, or note that one is wanted after the one under way.
	 * @param request what to ask
	 * @param decisions where the decision goes
	 */
	void want(SentinelCheck.Request request, List<TopologyDecision> decisions) {
		if (busy()) {
			this.again = true;
			return;
		}
		this.round++;
		this.request = request;
		this.views = List.of();
		this.plan = null;
		this.askingCurrent = false;
		decisions.add(new TopologyDecision.AskSentinels(this.round, request));
	}

	/**
	 * The sentinels answered: plan whose role to check.
	 * @param round the check they answer
	 * @param views what they said
	 * @param decisions where the role check goes
	 * @return the complete check when no role is to be checked, else {@code null}
	 */
	@Nullable SentinelCheck sentinelsAnswered(long round, List<SentinelView> views, List<TopologyDecision> decisions) {
		SentinelCheck.Request asked = this.request;
		if (asked == null || round != this.round || this.plan != null) {
			return null;
		}
		SentinelCheck.Plan planned = asked.plan(views);
		this.views = views;
		this.plan = planned;
		DiscoveredMaster current = asked.master();
		if (planned.staleReturn() && current != null) {
			this.askingCurrent = true;
			decisions.add(new TopologyDecision.CheckRole(round, current.address()));
			return null;
		}
		return askCandidate(round, decisions);
	}

	/**
	 * A role asked for this check answered.
	 * @param round the check it answers
	 * @param answer the answer
	 * @param decisions where a further role check goes
	 * @return the complete check, or {@code null} while a role is still to be checked (or the answer is late)
	 */
	@Nullable SentinelCheck roleAnswered(long round, SentinelCheck.RoleAnswer answer, List<TopologyDecision> decisions) {
		SentinelCheck.Request asked = this.request;
		SentinelCheck.Plan planned = this.plan;
		if (asked == null || planned == null || round != this.round) {
			return null;
		}
		DiscoveredMaster current = asked.master();
		if (this.askingCurrent && current != null) {
			this.askingCurrent = false;
			if (answer.isMaster()) {
				return complete(new SentinelCheck(this.views, planned.best(), current.address(), answer, true, current,
						planned.unconfirmed()));
			}
			return askCandidate(round, decisions);
		}
		return complete(new SentinelCheck(this.views, planned.best(), planned.candidate(), answer, false, current,
				planned.unconfirmed()));
	}

	private @Nullable SentinelCheck askCandidate(long round, List<TopologyDecision> decisions) {
		SentinelCheck.Plan planned = this.plan;
		SentinelCheck.Request asked = this.request;
		if (planned == null || asked == null) {
			return null;
		}
		NodeAddress candidate = planned.candidate();
		if (candidate != null) {
			decisions.add(new TopologyDecision.CheckRole(round, candidate));
			return null;
		}
		return complete(new SentinelCheck(this.views, planned.best(), null, SentinelCheck.RoleAnswer.NONE, false,
				asked.master(), planned.unconfirmed()));
	}

	private SentinelCheck complete(SentinelCheck check) {
		this.request = null;
		this.plan = null;
		this.views = List.of();
		return check;
	}

	/**
	 * The check could not be made at all.
	 * @param round the check
	 * @return whether it was the one under way
	 */
	boolean failed(long round) {
		if (this.request == null || round != this.round) {
			return false;
		}
		complete(new SentinelCheck(List.of(), null, null, SentinelCheck.RoleAnswer.NONE, false, null, java.util.Map.of()));
		return true;
	}

	/**
	 * Return whether a check was wanted while the last one ran, and forget it.
	 * @return whether to check again
	 */
	boolean takeAgain() {
		boolean wanted = this.again;
		this.again = false;
		return wanted;
	}

}
