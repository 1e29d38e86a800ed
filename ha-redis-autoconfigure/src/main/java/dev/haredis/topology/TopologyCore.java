package dev.haredis.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Every decision of the topology monitor, without I/O and without a clock: inputs (start, a discovery's outcome, a
 * connection wanting the master, sentinel events, the sentinels' and nodes' answers, the refresh tick) come in with
 * their time, and out come {@link TopologyDecision}s for the {@link SentinelTopology} shell to carry out, in order,
 * and a new {@link #snapshot()} and {@link #route()}. One thread feeds it (the shell's topology thread); other
 * threads only read the published master, route and snapshot.
 */
final class TopologyCore {

	private static final Log logger = LogFactory.getLog(TopologyCore.class);

	private final List<NodeAddress> configured;

	private final MonitorSettings monitor;

	private final boolean failFast;

	private final AnnouncedAddresses addresses;

	private final SentinelTrust trust;

	private final SentinelRoster roster;

	private final KnownMaster known;

	private final FailoverWatch failover = new FailoverWatch();

	private final PromotionWatch promotion;

	private final CheckRounds checks = new CheckRounds();

	private final SentinelReachability reachability;

	private final SentinelEventIntake events;

	private final SentinelCheckIntake checkIntake;

	private final MasterRequests requests = new MasterRequests();

	private boolean starting;

	private boolean monitoring;

	/** A core that knows nothing yet, for a master name, its configured sentinels and the announced addresses. */
	TopologyCore(String masterName, List<NodeAddress> configured, MonitorSettings monitor, boolean failFast,
			AnnouncedAddresses addresses) {
		this.configured = List.copyOf(configured);
		this.monitor = monitor;
		this.failFast = failFast;
		this.addresses = addresses;
		this.trust = new SentinelTrust(configured, monitor.maxLearnedSentinels());
		this.promotion = new PromotionWatch(monitor.promotionHold());
		this.roster = new SentinelRoster(this.trust, addresses);
		this.known = new KnownMaster(masterName, configured, this.trust, addresses);
		this.reachability = new SentinelReachability(masterName);
		SentinelEventIntake.MasterUse announced = (master, cause, now, decisions) -> use(master, cause, now, false,
				decisions);
		this.events = new SentinelEventIntake(masterName, monitor.eventHistory(), addresses, this.trust, this.roster,
				this.known, this.failover, this.promotion, this.reachability, announced);
		this.checkIntake = new SentinelCheckIntake(this.trust, this.roster, this.known, this.failover, this.reachability,
				this.events, announced);
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
		return this.checkIntake.errors();
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
			decisions.add(new TopologyDecision.Reconcile("start-up"));
		}
		else {
			this.starting = false;
			decisions.add(new TopologyDecision.Started());
		}
	}

	/**
	 * Check with the sentinels: the refresh interval passed, or something suggests the master moved (a server
	 * answered {@code READONLY}).
	 * @param reason why
	 * @return the decisions
	 */
	List<TopologyDecision> reconcileRequested(String reason) {
		List<TopologyDecision> decisions = new ArrayList<>();
		decisions.add(new TopologyDecision.Reconcile(reason));
		return finish(decisions);
	}

	/**
	 * A sentinel published an event ({@link SentinelEventIntake}).
	 * @param event the event, with the time it was received
	 * @return the decisions
	 */
	List<TopologyDecision> event(SentinelEvent event) {
		List<TopologyDecision> decisions = new ArrayList<>();
		this.events.event(event, decisions);
		return finish(decisions);
	}

	/**
	 * The role check asked for by {@link TopologyDecision.CheckRoleThenSwitch} answered
	 * ({@link SentinelEventIntake}).
	 * @param decision the decision it answers
	 * @param answer what the node answered
	 * @param now when it answered
	 * @return the decisions
	 */
	List<TopologyDecision> announcedRoleChecked(TopologyDecision.CheckRoleThenSwitch decision,
			SentinelCheck.RoleAnswer answer, Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		this.events.announcedRoleChecked(decision, answer, now, decisions);
		return finish(decisions);
	}

	/**
	 * A poll of the replica being promoted answered ({@link SentinelEventIntake}).
	 * @param watch the watch the poll belongs to
	 * @param answer what the replica answered
	 * @param now when
	 * @return the decisions
	 */
	List<TopologyDecision> promotionPolled(TopologyDecision.WatchPromotion watch, SentinelCheck.RoleAnswer answer,
			Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		this.events.promotionPolled(watch, answer, now, decisions);
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
	 * @param views what each answered, the master as they name it (announced)
	 * @param now when the last answer came
	 * @return the decisions
	 */
	List<TopologyDecision> sentinelsAnswered(long round, List<SentinelView> views, Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		List<SentinelView> mapped = views.stream().map((view) -> view.mapped(this.addresses)).toList();
		SentinelCheck complete = this.checks.sentinelsAnswered(round, mapped, decisions);
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
			this.checkIntake.failed();
			afterCheck(decisions);
		}
		return finish(decisions);
	}

	private List<TopologyDecision> checked(SentinelCheck check, Instant now, List<TopologyDecision> decisions) {
		this.checkIntake.checked(check, now, decisions);
		afterCheck(decisions);
		return finish(decisions);
	}

	private void afterCheck(List<TopologyDecision> decisions) {
		if (this.checks.takeAgain()) {
			decisions.add(new TopologyDecision.Reconcile("asked for during the last check"));
		}
		if (this.starting) {
			this.starting = false;
			decisions.add(new TopologyDecision.Started());
		}
	}

	private void use(DiscoveredMaster discovered, String cause, Instant now, boolean byDiscovery,
			List<TopologyDecision> decisions) {
		if (this.known.use(discovered, cause, now, byDiscovery, this.failover, this.events.history(), decisions)) {
			// Whatever was being watched is settled: the application is on a verified master.
			this.promotion.stop(decisions);
		}
	}

	/**
	 * End an input: the checks it asked for become one {@link TopologyDecision.AskSentinels}, built from the state
	 * the input left (or a check after the one under way), and only while monitoring.
	 */
	private List<TopologyDecision> finish(List<TopologyDecision> decisions) {
		this.known.holdUntil(this.promotion.heldUntil(), decisions);
		if (this.monitoring && decisions.stream().anyMatch(TopologyDecision.Reconcile.class::isInstance)) {
			this.checks.want(checkRequest(), decisions);
		}
		return decisions;
	}

}
