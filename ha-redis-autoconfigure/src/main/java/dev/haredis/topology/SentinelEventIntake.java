package dev.haredis.topology;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The sentinels' events, as the {@link TopologyCore} takes them: which sentinel's events count, when an event may
 * send the application to the node it names, the recent events kept for the snapshot, and the events held in order
 * around an announced master's role check. Part of the core: no I/O.
 */
final class SentinelEventIntake {

	private static final Log logger = LogFactory.getLog(SentinelEventIntake.class);

	static final Set<String> RECONCILE_SOON = Set.of("+slave", "+convert-to-slave", "+reset-master",
			"+config-update-from", "-sdown", "+role-change", "-role-change", "+fix-slave-config", "+reboot",
			"+slave-reconf-done");

	private final String masterName;

	private final int historySize;

	private final AnnouncedAddresses addresses;

	private final SentinelTrust trust;

	private final SentinelRoster roster;

	private final KnownMaster known;

	private final FailoverWatch failover;

	private final PromotionWatch promotion;

	private final SentinelReachability reachability;

	private final MasterUse master;

	private final AnnouncementGate announcements = new AnnouncementGate();

	private final Deque<SentinelEvent> history = new ArrayDeque<>();

	SentinelEventIntake(String masterName, int historySize, AnnouncedAddresses addresses, SentinelTrust trust,
			SentinelRoster roster, KnownMaster known, FailoverWatch failover, PromotionWatch promotion,
			SentinelReachability reachability, MasterUse master) {
		this.masterName = masterName;
		this.historySize = historySize;
		this.addresses = addresses;
		this.trust = trust;
		this.roster = roster;
		this.known = known;
		this.failover = failover;
		this.promotion = promotion;
		this.reachability = reachability;
		this.master = master;
	}

	/**
	 * Return the recent events, oldest first.
	 * @return the events
	 */
	List<SentinelEvent> history() {
		return List.copyOf(this.history);
	}

	/**
	 * A sentinel published an event. Only a configured sentinel's events change the state; a learned one's may still
	 * send the application to a known node at once, and otherwise only ask for a check with the sentinels. A
	 * {@code +switch-master} to another master is taken in two steps: first the announced master's role is checked
	 * ({@link TopologyDecision.CheckRoleThenSwitch}), and the event, and those that came meanwhile, are taken with
	 * its answer, in order.
	 * @param event the event, with the time it was received
	 * @param decisions where the decisions go
	 */
	void event(SentinelEvent event, List<TopologyDecision> decisions) {
		if (this.masterName.equals(event.masterName()) && !this.announcements.hold(event)) {
			take(event, decisions);
		}
	}

	private void take(SentinelEvent event, List<TopologyDecision> decisions) {
		NodeAddress named = promoted(event);
		boolean follow = (named != null) ? trusted(event, named, decisions) : this.trust.actsOn(event);
		DiscoveredMaster current = this.known.master();
		if (follow && "+switch-master".equals(event.type()) && named != null
				&& (current == null || !current.address().equals(named))) {
			TopologyDecision.CheckRoleThenSwitch check = new TopologyDecision.CheckRoleThenSwitch(named, event);
			this.announcements.checking(check);
			decisions.add(check);
			return;
		}
		apply(event, follow, named, decisions);
	}

	/**
	 * The role check asked for by {@link TopologyDecision.CheckRoleThenSwitch} answered: switch if the node answers
	 * as master, else check with the sentinels; then take the event, and those held meanwhile.
	 * @param decision the decision it answers
	 * @param answer what the node answered
	 * @param now when it answered
	 * @param decisions where the decisions go
	 */
	void announcedRoleChecked(TopologyDecision.CheckRoleThenSwitch decision, SentinelCheck.RoleAnswer answer,
			Instant now, List<TopologyDecision> decisions) {
		if (!this.announcements.answered(decision)) {
			return;
		}
		SentinelEvent event = decision.announcement();
		if (answer.isMaster()) {
			this.master.use(new DiscoveredMaster(decision.node(), event.reportedBy(), List.of()),
					"+switch-master from sentinel " + event.reportedBy(), now, decisions);
		}
		else {
			RoleCheck role = answer.role();
			logger.warn("Sentinel " + event.reportedBy() + " announced " + decision.node() + " as master, but "
					+ ((role != null) ? "it reports role '" + role.role() + "'; checking again"
							: "it could not be checked: " + answer.problem()));
			decisions.add(new TopologyDecision.Reconcile("announced master not verified"));
		}
		apply(event, true, decision.node(), decisions);
		for (SentinelEvent held = this.announcements.release(); held != null; held = this.announcements.release()) {
			take(held, decisions);
		}
	}

	private void apply(SentinelEvent event, boolean follow, @Nullable NodeAddress named,
			List<TopologyDecision> decisions) {
		String type = event.type();
		boolean configured = this.trust.actsOn(event);
		if (configured) {
			this.failover.observed(event);
		}
		if (follow && "+selected-slave".equals(type) && named != null) {
			this.promotion.start(new TopologyDecision.WatchPromotion(named, event.reportedBy()), event.at(), decisions);
			holdWrites(named, event, decisions);
		}
		if (!configured) {
			logger.debug("Not acting on " + type + " from sentinel " + event.reportedBy()
					+ ", learned from the others; checking with the sentinels");
			decisions.add(new TopologyDecision.Reconcile(type + " from a learned sentinel"));
			return;
		}
		this.history.addLast(event);
		while (this.history.size() > this.historySize) {
			this.history.removeFirst();
		}
		if (FailoverWatch.FAILOVER_ENDED.contains(type)) {
			this.promotion.stop(decisions);
		}
		if ("+sentinel".equals(type) && event.instance() != null) {
			// A sentinel instance's name is its id.
			this.roster.follow(this.addresses.reachable(event.instance().address()), true, event.instance().name(),
					decisions);
		}
		if (RECONCILE_SOON.contains(type)) {
			decisions.add(new TopologyDecision.Reconcile(type));
		}
		this.known.eventsChanged(this.failover.inProgress(), List.copyOf(this.history));
		decisions.add(new TopologyDecision.Publish(event));
		this.reachability.health(this.known.snapshot(), event.at(), decisions);
	}

	/**
	 * A sentinel announced the replica it promotes: new writes wait for it instead of going to the master it
	 * replaces, where they would be lost.
	 */
	private void holdWrites(NodeAddress candidate, SentinelEvent event, List<TopologyDecision> decisions) {
		DiscoveredMaster current = this.known.master();
		Instant until = (current != null) ? this.promotion.hold(current.address(), event.at()) : null;
		if (current != null && until != null) {
			decisions.add(new TopologyDecision.Publish(new PromotionAnnouncedEvent(this.masterName, current.address(),
					candidate, event.reportedBy(), until, event.at())));
		}
	}

	/**
	 * The node an event names as the new master ({@code +switch-master}) or as the replica being promoted
	 * ({@code +selected-slave}), as reachable.
	 */
	private @Nullable NodeAddress promoted(SentinelEvent event) {
		if ("+switch-master".equals(event.type())) {
			NodeAddress to = event.switchedTo();
			return (to != null) ? this.addresses.reachable(to) : null;
		}
		SentinelEvent.Instance instance = event.instance();
		return ("+selected-slave".equals(event.type()) && instance != null)
				? this.addresses.reachable(instance.address()) : null;
	}

	/**
	 * Whether an event may send the application to the node it names at once. Otherwise nothing is sent to that
	 * node (no role check, so no credentials) until the sentinels confirm it at a check, asked for now.
	 */
	private boolean trusted(SentinelEvent event, NodeAddress named, List<TopologyDecision> decisions) {
		if (this.trust.trustsEvent(event, named, this.known.nodes())) {
			return true;
		}
		decisions.add(new TopologyDecision.Reconcile(event.type() + " names an unknown node"));
		return false;
	}

	/**
	 * A poll of the replica being promoted answered: switch when it answers as master, else poll again or give up.
	 * @param watch the watch the poll belongs to
	 * @param answer what the replica answered
	 * @param now when
	 * @param decisions where the decisions go
	 */
	void promotionPolled(TopologyDecision.WatchPromotion watch, SentinelCheck.RoleAnswer answer, Instant now,
			List<TopologyDecision> decisions) {
		DiscoveredMaster current = this.known.master();
		if (this.promotion.polled(watch, answer, (current != null) ? current.address() : null, now, decisions)) {
			this.master.use(new DiscoveredMaster(watch.candidate(), watch.sentinel(), List.of()), "promotion of "
					+ watch.candidate() + " seen during failover (+selected-slave from sentinel " + watch.sentinel() + ")",
					now, decisions);
		}
	}

	/**
	 * How the intake switches the application to a master that answered as master.
	 */
	@FunctionalInterface
	interface MasterUse {

		void use(DiscoveredMaster master, String cause, Instant now, List<TopologyDecision> decisions);

	}

}
