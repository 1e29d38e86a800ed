package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.topology.SentinelTopology.MonitorSettings;

/**
 * Every decision of the topology monitor, without I/O and without a clock: inputs (start, a discovery's outcome, a
 * connection wanting the master, sentinel events, the sentinels' and nodes' answers, the refresh tick) come in with
 * their time, and out come {@link TopologyDecision}s for the {@link SentinelTopology} shell to carry out, in order,
 * and a new {@link #snapshot()} and {@link #route()}. One thread feeds it (the shell's topology thread); other
 * threads only read the published master, route and snapshot.
 */
final class TopologyCore {

	private static final Log logger = LogFactory.getLog(TopologyCore.class);

	static final Set<String> RECONCILE_SOON = Set.of("+slave", "+convert-to-slave", "+reset-master",
			"+config-update-from", "-sdown", "+role-change", "-role-change", "+fix-slave-config", "+reboot",
			"+slave-reconf-done");

	private final String masterName;

	private final List<NodeAddress> configured;

	private final MonitorSettings monitor;

	private final boolean failFast;

	private final AnnouncedAddresses addresses;

	private final SentinelTrust trust;

	private final SentinelRoster roster;

	private final KnownMaster known;

	private final FailoverWatch failover = new FailoverWatch();

	private final PromotionWatch promotion = new PromotionWatch();

	private final CheckRounds checks = new CheckRounds();

	private final SentinelReachability reachability;

	private final Deque<SentinelEvent> history = new ArrayDeque<>();

	private final AnnouncementGate announcements = new AnnouncementGate();

	private final MasterRequests requests = new MasterRequests();

	private boolean starting;

	private boolean monitoring;

	private volatile long reconciliationErrors;

	/**
	 * Create a core that knows nothing yet.
	 * @param masterName the name the sentinels monitor the master under
	 * @param configured the configured sentinels
	 * @param monitor how to follow the sentinels
	 * @param failFast whether a failed discovery at start stops the application
	 * @param addresses how announced addresses map to reachable ones
	 */
	TopologyCore(String masterName, List<NodeAddress> configured, MonitorSettings monitor, boolean failFast,
			AnnouncedAddresses addresses) {
		this.masterName = masterName;
		this.configured = List.copyOf(configured);
		this.monitor = monitor;
		this.failFast = failFast;
		this.addresses = addresses;
		this.trust = new SentinelTrust(configured, monitor.maxLearnedSentinels());
		this.roster = new SentinelRoster(this.trust, addresses);
		this.known = new KnownMaster(masterName, configured, this.trust, addresses);
		this.reachability = new SentinelReachability(masterName);
	}

	@Nullable DiscoveredMaster master() {
		return this.known.master();
	}

	TopologySnapshot snapshot() {
		return this.known.snapshot();
	}

	MasterRoute route() {
		return this.known.route();
	}

	long failovers() {
		return this.known.failovers();
	}

	long reconciliationErrors() {
		return this.reconciliationErrors;
	}

	/**
	 * The application starts: find the master, and follow the configured sentinels meanwhile when monitoring.
	 * @return the decisions
	 */
	List<TopologyDecision> start() {
		List<TopologyDecision> decisions = new ArrayList<>();
		this.starting = true;
		if (this.monitor.enabled()) {
			this.configured.forEach((sentinel) -> this.roster.follow(sentinel, false, null, decisions));
		}
		this.requests.discover(decisions);
		return decisions;
	}

	/**
	 * A connection is being opened and needs the master: answer with the one in use, or find it.
	 * @param now when
	 * @return the decisions
	 */
	List<TopologyDecision> masterWanted(Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		this.requests.wanted(route(), now, decisions);
		return decisions;
	}

	/**
	 * A discovery ended: with a verified master, or with what each sentinel answered.
	 * @param discovered the master found
	 * @param failure why none was
	 * @param now when
	 * @return the decisions
	 */
	List<TopologyDecision> discovered(@Nullable DiscoveredMaster discovered, @Nullable MasterDiscoveryException failure,
			Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		if (discovered != null) {
			use(discovered, "discovery", now, true, decisions);
		}
		this.requests.discovered(discovered, failure, this.starting ? null : this.known.master(), decisions);
		if (this.starting) {
			startupDiscovered(failure, decisions);
		}
		return finish(decisions);
	}

	private void startupDiscovered(@Nullable MasterDiscoveryException failure, List<TopologyDecision> decisions) {
		if (failure != null && this.failFast) {
			this.starting = false;
			decisions.add(new TopologyDecision.FailStart(failure));
			return;
		}
		if (failure != null) {
			logger.warn("Starting without a master (ha.redis.fail-fast=false); will keep looking: "
					+ failure.getMessage());
		}
		if (this.monitor.enabled()) {
			// The first check completes before start-up does: a started application has a full snapshot.
			this.monitoring = true;
			this.known.monitored();
			reconcile("start-up", decisions);
		}
		else {
			this.starting = false;
			decisions.add(new TopologyDecision.Started());
		}
	}

	/**
	 * The refresh interval passed: check with the sentinels, as a backup to their events.
	 * @return the decisions
	 */
	List<TopologyDecision> tick() {
		List<TopologyDecision> decisions = new ArrayList<>();
		reconcile("refresh", decisions);
		return finish(decisions);
	}

	/**
	 * Something suggests the master moved (a server answered {@code READONLY}): check with the sentinels now.
	 * @param reason why
	 * @return the decisions
	 */
	List<TopologyDecision> reconcileRequested(String reason) {
		List<TopologyDecision> decisions = new ArrayList<>();
		reconcile(reason, decisions);
		return finish(decisions);
	}

	/**
	 * A sentinel published an event. Only a configured sentinel's events change the state; a learned one's may still
	 * send the application to a known node at once, and otherwise only ask for a check with the sentinels. A
	 * {@code +switch-master} to another master is taken in two steps: first the announced master's role is checked
	 * ({@link TopologyDecision.CheckRoleThenSwitch}), and the event, and those that came meanwhile, are taken with
	 * its answer, in order.
	 * @param event the event, with the time it was received
	 * @return the decisions
	 */
	List<TopologyDecision> event(SentinelEvent event) {
		if (!this.masterName.equals(event.masterName())) {
			return List.of();
		}
		if (this.announcements.hold(event)) {
			return List.of();
		}
		List<TopologyDecision> decisions = new ArrayList<>();
		take(event, decisions);
		return finish(decisions);
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
	 * @return the decisions
	 */
	List<TopologyDecision> announcedRoleChecked(TopologyDecision.CheckRoleThenSwitch decision,
			SentinelCheck.RoleAnswer answer, Instant now) {
		if (!this.announcements.answered(decision)) {
			return List.of();
		}
		List<TopologyDecision> decisions = new ArrayList<>();
		SentinelEvent event = decision.announcement();
		if (answer.isMaster()) {
			use(new DiscoveredMaster(decision.node(), event.reportedBy(), List.of()),
					"+switch-master from sentinel " + event.reportedBy(), now, false, decisions);
		}
		else {
			RoleCheck role = answer.role();
			logger.warn("Sentinel " + event.reportedBy() + " announced " + decision.node() + " as master, but "
					+ ((role != null) ? "it reports role '" + role.role() + "'; checking again"
							: "it could not be checked: " + answer.problem()));
			reconcile("announced master not verified", decisions);
		}
		apply(event, true, decision.node(), decisions);
		for (SentinelEvent held = this.announcements.release(); held != null; held = this.announcements.release()) {
			take(held, decisions);
		}
		return finish(decisions);
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
		}
		if (!configured) {
			logger.debug("Not acting on " + type + " from sentinel " + event.reportedBy()
					+ ", learned from the others; checking with the sentinels");
			reconcile(type + " from a learned sentinel", decisions);
			return;
		}
		this.history.addLast(event);
		while (this.history.size() > this.monitor.eventHistory()) {
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
			reconcile(type, decisions);
		}
		this.known.eventsChanged(this.failover.inProgress(), List.copyOf(this.history));
		decisions.add(new TopologyDecision.Publish(event));
		this.reachability.health(this.known.snapshot(), event.at(), decisions);
	}

	/**
	 * A poll of the replica being promoted answered: switch when it answers as master, else poll again or give up.
	 * @param watch the watch the poll belongs to
	 * @param answer what the replica answered
	 * @param now when
	 * @return the decisions
	 */
	List<TopologyDecision> promotionPolled(TopologyDecision.WatchPromotion watch, SentinelCheck.RoleAnswer answer,
			Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		DiscoveredMaster current = this.known.master();
		if (this.promotion.polled(watch, answer, (current != null) ? current.address() : null, now, decisions)) {
			use(new DiscoveredMaster(watch.candidate(), watch.sentinel(), List.of()), "promotion of "
					+ watch.candidate() + " seen during failover (+selected-slave from sentinel " + watch.sentinel() + ")",
					now, false, decisions);
		}
		return finish(decisions);
	}

	/**
	 * Return what a check with the sentinels should ask, as things stand.
	 * @return the request
	 */
	SentinelCheck.Request checkRequest() {
		return new SentinelCheck.Request(this.roster.followed(), this.known.master(), this.known.left(),
				this.known.leftAtEpoch(), this.known.nodes(), this.trust);
	}

	/**
	 * The sentinels asked by {@link TopologyDecision.AskSentinels} answered.
	 * @param round the check
	 * @param views what each answered
	 * @param now when the last answer came
	 * @return the decisions
	 */
	List<TopologyDecision> sentinelsAnswered(long round, List<SentinelView> views, Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		SentinelCheck complete = this.checks.sentinelsAnswered(round, views, decisions);
		return (complete != null) ? checked(complete, now, decisions) : finish(decisions);
	}

	/**
	 * The role asked by {@link TopologyDecision.CheckRole} answered.
	 * @param round the check
	 * @param answer what the node answered
	 * @param now when
	 * @return the decisions
	 */
	List<TopologyDecision> roleAnswered(long round, SentinelCheck.RoleAnswer answer, Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		SentinelCheck complete = this.checks.roleAnswered(round, answer, decisions);
		return (complete != null) ? checked(complete, now, decisions) : finish(decisions);
	}

	/**
	 * A check could not be made at all.
	 * @param round the check
	 * @return the decisions
	 */
	List<TopologyDecision> checkFailed(long round) {
		List<TopologyDecision> decisions = new ArrayList<>();
		if (this.checks.failed(round)) {
			this.reconciliationErrors++;
			afterCheck(decisions);
		}
		return finish(decisions);
	}

	/**
	 * A check answered: switch if the sentinels name another verified master, follow and forget sentinels, and
	 * refresh the snapshot. Going back to the master the application just left is refused, and the promoted master
	 * counts as verified, while the sentinels have not published a newer configuration epoch and the master in use
	 * answers as master: right after a promotion the sentinels still name the old master (dead after a kill, still
	 * a master in a manual failover) until {@code +switch-master}.
	 */
	private List<TopologyDecision> checked(SentinelCheck check, Instant now, List<TopologyDecision> decisions) {
		this.roster.answered(check.views());
		this.roster.update(check.views(), decisions);
		// What forgotten sentinels said still counts for the master, not as sentinels of their own.
		List<SentinelView> followed = check.views().stream().filter((view) -> this.roster.follows(view.sentinel())).toList();
		this.reachability.track(followed, this.roster.followed(), now, decisions);
		if (this.known.master() != check.master()) {
			// The application switched while the check ran; its answer is already out of date.
			reconcile("switched during the check", decisions);
			afterCheck(decisions);
			return finish(decisions);
		}
		NodeAddress candidate = check.candidate();
		boolean verified = check.role().isMaster();
		SentinelView best = check.best();
		if (check.staleReturn()) {
			logger.debug("Sentinels still name " + ((best != null) ? best.master() : null)
					+ "; staying on the promoted master " + candidate + " until their configuration catches up");
		}
		else if (verified && best != null && candidate != null) {
			use(new DiscoveredMaster(candidate, best.sentinel(), List.of()),
					"reconciliation: sentinel " + best.sentinel() + " names " + candidate, now, false, decisions);
		}
		if (!verified) {
			this.reconciliationErrors++;
		}
		this.trust.reportUnconfirmed(check.unconfirmed());
		this.known.checked(check, best, verified ? check.role().role() : null, followed, this.failover.inProgress(),
				List.copyOf(this.history), now);
		this.reachability.health(this.known.snapshot(), now, decisions);
		afterCheck(decisions);
		return finish(decisions);
	}

	private void afterCheck(List<TopologyDecision> decisions) {
		if (this.checks.takeAgain()) {
			reconcile("asked for during the last check", decisions);
		}
		if (this.starting) {
			this.starting = false;
			decisions.add(new TopologyDecision.Started());
		}
	}

	private void use(DiscoveredMaster discovered, String cause, Instant now, boolean byDiscovery,
			List<TopologyDecision> decisions) {
		if (this.known.use(discovered, cause, now, byDiscovery, this.failover, this.history, decisions)) {
			// Whatever was being watched is settled: the application is on a verified master.
			this.promotion.stop(decisions);
		}
	}

	private void reconcile(String reason, List<TopologyDecision> decisions) {
		decisions.add(new TopologyDecision.Reconcile(reason));
	}

	/**
	 * End an input: the checks it asked for become one {@link TopologyDecision.AskSentinels}, built from the state
	 * the input left (or a check after the one under way), and only while monitoring.
	 */
	private List<TopologyDecision> finish(List<TopologyDecision> decisions) {
		if (this.monitoring && decisions.stream().anyMatch(TopologyDecision.Reconcile.class::isInstance)) {
			this.checks.want(checkRequest(), decisions);
		}
		return decisions;
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
		reconcile(event.type() + " names an unknown node", decisions);
		return false;
	}

}
