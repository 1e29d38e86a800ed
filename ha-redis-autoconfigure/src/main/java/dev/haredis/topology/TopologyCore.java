package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.topology.SentinelTopology.MonitorSettings;

/**
 * The topology monitor's decisions, without I/O and without a clock: inputs (sentinel events, checks with the
 * sentinels, role answers, a promotion seen) come in with their time, and out come {@link TopologyDecision}s for the
 * {@link SentinelTopology} shell to carry out, in order, and a new {@link #snapshot()}. Real sentinel histories
 * replay through it in unit tests.
 * <p>
 * Inputs come from the topology thread, and from callers discovering the master while the topology is not
 * monitored; the lock keeps them in order. The master and the snapshot can be read from any thread.
 */
final class TopologyCore {

	private static final Log logger = LogFactory.getLog(TopologyCore.class);

	/** A topology has a handful of nodes; the bound only guards against endless distinct addresses. */
	private static final int MAX_REMEMBERED_MASTERS = 64;

	static final Set<String> FAILOVER_STARTED = Set.of("+odown", "+try-failover", "+elected-leader",
			"+failover-state-select-slave", "+selected-slave", "+failover-state-send-slaveof-noone",
			"+failover-state-wait-promotion", "+promoted-slave", "+failover-state-reconf-slaves");

	static final Set<String> FAILOVER_ENDED = Set.of("+failover-end", "+failover-end-for-timeout", "-odown",
			"-failover-abort-not-elected", "-failover-abort-no-good-slave", "-failover-abort-slave-timeout");

	static final Set<String> RECONCILE_SOON = Set.of("+slave", "+convert-to-slave", "+reset-master",
			"+config-update-from", "-sdown", "+role-change", "+fix-slave-config", "+reboot", "+slave-reconf-done");

	private final String masterName;

	private final MonitorSettings monitor;

	private final AnnouncedAddresses addresses;

	private final SentinelTrust trust;

	private final SentinelRoster roster;

	private final SnapshotAssembler assembler;

	private final FailoverWatch failover = new FailoverWatch();

	private final Set<NodeAddress> everVerified = new HashSet<>();

	private final Deque<SentinelEvent> history = new ArrayDeque<>();

	private final Set<NodeAddress> lostSentinels = new HashSet<>();

	private final AtomicLong failovers = new AtomicLong();

	private final AtomicLong reconciliationErrors = new AtomicLong();

	/** The replicas a configured sentinel lists or the verified master reports, never those a learned one lists. */
	private Set<NodeAddress> knownReplicas = Set.of();

	/** The master the application last moved away from, and the highest configuration epoch known then. */
	private @Nullable NodeAddress leftMaster;

	private long leftAtEpoch;

	private TopologyHealth lastHealth = TopologyHealth.UP;

	private List<String> lastProblems = List.of();

	private volatile @Nullable DiscoveredMaster master;

	private volatile TopologySnapshot snapshot;

	/**
	 * Create a core that knows nothing yet.
	 * @param masterName the name the sentinels monitor the master under
	 * @param configured the configured sentinels
	 * @param monitor how to follow the sentinels
	 * @param addresses how announced addresses map to reachable ones
	 */
	TopologyCore(String masterName, List<NodeAddress> configured, MonitorSettings monitor,
			AnnouncedAddresses addresses) {
		this.masterName = masterName;
		this.monitor = monitor;
		this.addresses = addresses;
		this.trust = new SentinelTrust(configured, monitor.maxLearnedSentinels());
		this.roster = new SentinelRoster(this.trust, addresses);
		this.assembler = new SnapshotAssembler(this.trust, addresses);
		this.snapshot = TopologySnapshot.unknown(masterName, configured);
	}

	@Nullable DiscoveredMaster master() {
		return this.master;
	}

	TopologySnapshot snapshot() {
		return this.snapshot;
	}

	long failovers() {
		return this.failovers.get();
	}

	long reconciliationErrors() {
		return this.reconciliationErrors.get();
	}

	/**
	 * Start following the configured sentinels.
	 * @param configured the configured sentinels
	 * @return the decisions
	 */
	synchronized List<TopologyDecision> followConfigured(List<NodeAddress> configured) {
		List<TopologyDecision> decisions = new ArrayList<>();
		configured.forEach((sentinel) -> this.roster.follow(sentinel, false, null, decisions));
		return decisions;
	}

	/**
	 * A master was found and answered {@code ROLE} as master: by discovery, a check, an announcement or a promotion
	 * seen. Another master than the one in use is a switch.
	 * @param discovered the master
	 * @param cause what found it, for the log and the {@link MasterSwitchedEvent}
	 * @param now when
	 * @return the decisions
	 */
	synchronized List<TopologyDecision> verified(DiscoveredMaster discovered, String cause, Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		use(discovered, cause, now, decisions);
		return decisions;
	}

	private void use(DiscoveredMaster discovered, String cause, Instant now, List<TopologyDecision> decisions) {
		if (this.everVerified.size() < MAX_REMEMBERED_MASTERS) {
			this.everVerified.add(discovered.address());
		}
		DiscoveredMaster previous = this.master;
		this.master = discovered;
		if (previous == null) {
			this.snapshot = this.assembler.withMaster(this.snapshot, discovered.address(), now,
					this.snapshot.lastFailover(), List.copyOf(this.history));
			logger.info("Master '" + this.masterName + "' is at " + discovered.address() + " (named by sentinel "
					+ discovered.sentinel() + ", role verified)");
		}
		else if (!previous.address().equals(discovered.address())) {
			switched(previous.address(), discovered.address(), cause, now, decisions);
		}
	}

	private void switched(NodeAddress from, NodeAddress to, String cause, Instant now,
			List<TopologyDecision> decisions) {
		this.leftMaster = from;
		this.leftAtEpoch = this.snapshot.configEpoch();
		Instant since = this.failover.switched();
		this.failovers.incrementAndGet();
		this.snapshot = this.assembler.withMaster(this.snapshot, to, now, new TopologySnapshot.Failover(from, to, now,
				(since != null) ? Duration.between(since, now) : null, cause), List.copyOf(this.history));
		logger.warn("Master '" + this.masterName + "' switched from " + from + " to " + to + " (" + cause + ")");
		decisions.add(new TopologyDecision.Publish(new MasterSwitchedEvent(this.masterName, from, to, now, cause)));
	}

	/**
	 * A sentinel published an event. Only a configured sentinel's events change the state; a learned one's may
	 * still send the application to a known node at once, and otherwise only ask for a check with the sentinels.
	 * A {@code +switch-master} to another master is taken in two steps: first the announced master's role is
	 * checked ({@link TopologyDecision.CheckRoleThenSwitch}), and the rest of the event is taken with its answer.
	 * @param event the event, with the time it was received
	 * @return the decisions
	 */
	synchronized List<TopologyDecision> event(SentinelEvent event) {
		if (!this.masterName.equals(event.masterName())) {
			return List.of();
		}
		List<TopologyDecision> decisions = new ArrayList<>();
		NodeAddress named = promoted(event);
		boolean follow = (named != null) ? trusted(event, named, decisions) : this.trust.actsOn(event);
		DiscoveredMaster current = this.master;
		if (follow && "+switch-master".equals(event.type()) && named != null
				&& (current == null || !current.address().equals(named))) {
			decisions.add(new TopologyDecision.CheckRoleThenSwitch(named, event));
			return decisions;
		}
		take(event, follow, named, decisions);
		return decisions;
	}

	/**
	 * The role check asked for by {@link TopologyDecision.CheckRoleThenSwitch} answered: switch if the node answers
	 * as master, else check with the sentinels; then take the rest of the event.
	 * @param decision the decision it answers
	 * @param role the role, or {@code null} when the check failed
	 * @param problem why it failed
	 * @param now when it answered
	 * @return the decisions
	 */
	synchronized List<TopologyDecision> announcedRoleChecked(TopologyDecision.CheckRoleThenSwitch decision,
			@Nullable RoleCheck role, @Nullable String problem, Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		SentinelEvent event = decision.announcement();
		if (role != null && role.isMaster()) {
			use(new DiscoveredMaster(decision.node(), event.reportedBy(), List.of()),
					"+switch-master from sentinel " + event.reportedBy(), now, decisions);
		}
		else {
			logger.warn("Sentinel " + event.reportedBy() + " announced " + decision.node() + " as master, but "
					+ ((role != null) ? "it reports role '" + role.role() + "'; checking again"
							: "it could not be checked: " + problem));
			decisions.add(new TopologyDecision.Reconcile("announced master not verified"));
		}
		take(event, true, decision.node(), decisions);
		return decisions;
	}

	private void take(SentinelEvent event, boolean follow, @Nullable NodeAddress named,
			List<TopologyDecision> decisions) {
		String type = event.type();
		boolean configured = this.trust.actsOn(event);
		if (configured) {
			this.failover.observed(event);
		}
		if (follow && "+selected-slave".equals(type) && named != null) {
			decisions.add(new TopologyDecision.WatchPromotion(named, event.reportedBy()));
		}
		if (!configured) {
			logger.debug("Not acting on " + type + " from sentinel " + event.reportedBy()
					+ ", learned from the others; checking with the sentinels");
			decisions.add(new TopologyDecision.Reconcile(type + " from a learned sentinel"));
			return;
		}
		this.history.addLast(event);
		while (this.history.size() > this.monitor.eventHistory()) {
			this.history.removeFirst();
		}
		if (FAILOVER_ENDED.contains(type)) {
			decisions.add(new TopologyDecision.StopWatchingPromotion());
		}
		if ("+sentinel".equals(type) && event.instance() != null) {
			// A sentinel instance's name is its id.
			this.roster.follow(this.addresses.reachable(event.instance().address()), true, event.instance().name(),
					decisions);
		}
		if (RECONCILE_SOON.contains(type)) {
			decisions.add(new TopologyDecision.Reconcile(type));
		}
		this.snapshot = this.assembler.withEvents(this.snapshot, this.failover.inProgress(), List.copyOf(this.history));
		decisions.add(new TopologyDecision.Publish(event));
		checkHealth(event.at(), decisions);
	}

	/**
	 * The replica being promoted answered as master.
	 * @param watch the decision that started the watch
	 * @param now when
	 * @return the decisions
	 */
	synchronized List<TopologyDecision> promotionSeen(TopologyDecision.WatchPromotion watch, Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		decisions.add(new TopologyDecision.StopWatchingPromotion());
		use(new DiscoveredMaster(watch.candidate(), watch.sentinel(), List.of()), "promotion of " + watch.candidate()
				+ " seen during failover (+selected-slave from sentinel " + watch.sentinel() + ")", now, decisions);
		return decisions;
	}

	/**
	 * Return what a check with the sentinels should ask, as things stand.
	 * @return the request
	 */
	synchronized SentinelCheck.Request checkRequest() {
		return new SentinelCheck.Request(this.roster.followed(), this.master, this.leftMaster, this.leftAtEpoch,
				knownNodes(), this.trust);
	}

	/**
	 * A check with the sentinels could not be made at all.
	 */
	void checkFailed() {
		this.reconciliationErrors.incrementAndGet();
	}

	/**
	 * A check with the sentinels answered: switch if the sentinels name another verified master, follow and forget
	 * sentinels, and refresh the snapshot. Going back to the master the application just left is refused, and the
	 * promoted master counts as verified, while the sentinels have not published a newer configuration epoch and
	 * the master in use answers as master: right after a promotion the sentinels still name the old master (dead
	 * after a kill, still a master in a manual failover) until {@code +switch-master}.
	 * @param check the check
	 * @param now when it answered
	 * @return the decisions
	 */
	synchronized List<TopologyDecision> checked(SentinelCheck check, Instant now) {
		List<TopologyDecision> decisions = new ArrayList<>();
		this.roster.answered(check.views());
		this.roster.update(check.views(), decisions);
		// What forgotten sentinels said still counts for the master, not as sentinels of their own.
		List<SentinelView> followed = check.views().stream().filter((view) -> this.roster.follows(view.sentinel())).toList();
		trackReachability(followed, now, decisions);
		if (this.master != check.master()) {
			// The application switched while the check ran; its answer is already out of date.
			decisions.add(new TopologyDecision.Reconcile("switched during the check"));
			return decisions;
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
					"reconciliation: sentinel " + best.sentinel() + " names " + candidate, now, decisions);
		}
		if (!verified) {
			this.reconciliationErrors.incrementAndGet();
		}
		this.trust.reportUnconfirmed(check.unconfirmed());
		learnReplicas(best, verified ? check.role().role() : null);
		this.snapshot = this.assembler.afterCheck(this.snapshot, check, followed, this.master,
				Set.copyOf(this.everVerified), this.failover.inProgress(), List.copyOf(this.history), now);
		checkHealth(now, decisions);
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
		if (this.trust.trustsEvent(event, named, knownNodes())) {
			return true;
		}
		decisions.add(new TopologyDecision.Reconcile(event.type() + " names an unknown node"));
		return false;
	}

	/**
	 * The nodes a sentinel may name without confirmation: the master, the replicas a configured sentinel lists or
	 * the verified master reports, and every master the application used before.
	 */
	private Set<NodeAddress> knownNodes() {
		Set<NodeAddress> known = new HashSet<>(this.everVerified);
		DiscoveredMaster current = this.master;
		if (current != null) {
			known.add(current.address());
		}
		known.addAll(this.knownReplicas);
		return known;
	}

	private void learnReplicas(@Nullable SentinelView best, @Nullable RoleCheck verifiedRole) {
		boolean vouched = best != null && this.trust.vouchesForReplicas(best);
		if (!vouched && verifiedRole == null) {
			return;
		}
		Set<NodeAddress> replicas = new HashSet<>();
		if (vouched) {
			best.replicas().forEach((replica) -> replicas.add(this.assembler.replicaAddress(replica)));
		}
		if (verifiedRole != null) {
			verifiedRole.replicas().forEach((offset) -> replicas.add(this.addresses.reachable(offset.address())));
		}
		this.knownReplicas = Set.copyOf(replicas);
	}

	private void trackReachability(List<SentinelView> views, Instant now, List<TopologyDecision> decisions) {
		for (SentinelView view : views) {
			if (!view.reachable() && this.lostSentinels.add(view.sentinel())) {
				decisions.add(new TopologyDecision.Publish(
						new SentinelLostEvent(view.sentinel(), Objects.requireNonNull(view.problem()), now)));
			}
			else if (view.reachable() && this.lostSentinels.remove(view.sentinel())) {
				decisions.add(new TopologyDecision.Publish(new SentinelRegainedEvent(view.sentinel(), now)));
			}
		}
		this.lostSentinels.retainAll(Set.copyOf(this.roster.followed()));
	}

	private void checkHealth(Instant now, List<TopologyDecision> decisions) {
		TopologySnapshot current = this.snapshot;
		TopologyHealth health = current.health();
		List<String> problems = current.problems();
		if (health == this.lastHealth && problems.equals(this.lastProblems)) {
			return;
		}
		this.lastHealth = health;
		this.lastProblems = problems;
		if (health == TopologyHealth.UP) {
			logger.info("Topology of '" + this.masterName + "' is healthy again");
			decisions.add(new TopologyDecision.Publish(new TopologyRecoveredEvent(now)));
		}
		else {
			logger.warn("Topology of '" + this.masterName + "' is " + health + ": " + String.join("; ", problems));
			decisions.add(new TopologyDecision.Publish(new TopologyDegradedEvent(health, problems, now)));
		}
	}

	/**
	 * Whether a failover is in progress, and since when there was trouble with the master, from the configured
	 * sentinels' events.
	 */
	private static final class FailoverWatch {

		private @Nullable Instant troubleSince;

		private boolean inProgress;

		void observed(SentinelEvent event) {
			String type = event.type();
			boolean started = FAILOVER_STARTED.contains(type);
			if (event.isAboutMaster() && ("+sdown".equals(type) || started) && this.troubleSince == null) {
				this.troubleSince = event.at();
			}
			this.inProgress |= started;
			if (FAILOVER_ENDED.contains(type)) {
				this.inProgress = false;
			}
		}

		/** The application switched: the failover is over for it. Returns when the trouble started. */
		@Nullable Instant switched() {
			Instant since = this.troubleSince;
			this.troubleSince = null;
			this.inProgress = false;
			return since;
		}

		boolean inProgress() {
			return this.inProgress;
		}

	}

}
