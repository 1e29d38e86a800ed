package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The master the application uses and what it knows around it: the masters it used before, the replicas, the master
 * it last moved away from, and the published {@link TopologySnapshot} and {@link MasterRoute}. Part of the
 * {@link TopologyCore}: written by its one thread, the published values read by any.
 */
final class KnownMaster {

	private static final Log logger = LogFactory.getLog(KnownMaster.class);

	/** A topology has a handful of nodes; the bound only guards against endless distinct addresses. */
	private static final int MAX_REMEMBERED_MASTERS = 64;

	private final String masterName;

	private final SentinelTrust trust;

	private final AnnouncedAddresses addresses;

	private final SnapshotAssembler assembler;

	private final Set<NodeAddress> everVerified = new HashSet<>();

	/** The replicas a configured sentinel lists or the verified master reports, never those a learned one lists. */
	private Set<NodeAddress> replicas = Set.of();

	/** The master the application last moved away from, and the highest configuration epoch known then. */
	private @Nullable NodeAddress left;

	private long leftAtEpoch;

	private @Nullable Instant discoveredAt;

	private boolean monitored;

	private volatile @Nullable DiscoveredMaster master;

	private volatile TopologySnapshot snapshot;

	private volatile MasterRoute route = MasterRoute.NONE;

	private @Nullable Instant heldUntil;

	private volatile long failovers;

	KnownMaster(String masterName, List<NodeAddress> configured, SentinelTrust trust, AnnouncedAddresses addresses) {
		this.masterName = masterName;
		this.trust = trust;
		this.addresses = addresses;
		this.assembler = new SnapshotAssembler(trust, addresses);
		this.snapshot = TopologySnapshot.unknown(masterName, configured);
	}

	@Nullable DiscoveredMaster master() {
		return this.master;
	}

	TopologySnapshot snapshot() {
		return this.snapshot;
	}

	MasterRoute route() {
		return this.route;
	}

	long failovers() {
		return this.failovers;
	}

	@Nullable NodeAddress left() {
		return this.left;
	}

	long leftAtEpoch() {
		return this.leftAtEpoch;
	}

	/** The topology is followed from now on: the master in use is always current. */
	void monitored() {
		this.monitored = true;
		publishRoute();
	}

	/**
	 * Use a master that answered {@code ROLE} as master. Another master than the one in use is a switch.
	 * @return whether it was a switch
	 */
	boolean use(DiscoveredMaster discovered, String cause, Instant now, boolean byDiscovery, FailoverWatch failover,
			Collection<SentinelEvent> history, List<TopologyDecision> decisions) {
		if (this.everVerified.size() < MAX_REMEMBERED_MASTERS) {
			this.everVerified.add(discovered.address());
		}
		if (byDiscovery) {
			this.discoveredAt = now;
		}
		DiscoveredMaster previous = this.master;
		this.master = discovered;
		boolean switched = false;
		if (previous == null) {
			this.snapshot = this.assembler.withMaster(this.snapshot, discovered.address(), now,
					this.snapshot.lastFailover(), List.copyOf(history));
			logger.info("Master '" + this.masterName + "' is at " + discovered.address() + " (named by sentinel "
					+ discovered.sentinel() + ", role verified)");
		}
		else if (!previous.address().equals(discovered.address())) {
			NodeAddress from = previous.address();
			NodeAddress to = discovered.address();
			this.left = from;
			this.leftAtEpoch = this.snapshot.configEpoch();
			Instant since = failover.switched();
			this.failovers++;
			this.snapshot = this.assembler.withMaster(this.snapshot, to, now, new TopologySnapshot.Failover(from, to,
					now, (since != null) ? Duration.between(since, now) : null, cause), List.copyOf(history));
			logger.warn("Master '" + this.masterName + "' switched from " + from + " to " + to + " (" + cause + ")");
			decisions.add(new TopologyDecision.Publish(new MasterSwitchedEvent(this.masterName, from, to, now, cause)));
			switched = true;
		}
		publishRoute();
		return switched;
	}

	private void publishRoute() {
		DiscoveredMaster current = this.master;
		this.route = new MasterRoute((current != null) ? current.address() : null, this.discoveredAt, this.monitored,
				this.heldUntil);
	}

	/**
	 * Hold new connections until a time (a promotion under way), or stop holding them; the connections that waited
	 * are then answered with the master in use.
	 * @param until until when, or {@code null} to stop holding
	 * @param decisions where the answer goes
	 */
	void holdUntil(@Nullable Instant until, List<TopologyDecision> decisions) {
		if (Objects.equals(until, this.heldUntil)) {
			return;
		}
		this.heldUntil = until;
		publishRoute();
		DiscoveredMaster current = this.master;
		if (until == null && current != null) {
			decisions.add(new TopologyDecision.AnswerWaiters(current.address(), null));
		}
	}

	void eventsChanged(boolean failoverInProgress, List<SentinelEvent> history) {
		this.snapshot = this.assembler.withEvents(this.snapshot, failoverInProgress, history);
	}

	/** Take a check's answer into the replicas known and the snapshot. */
	void checked(SentinelCheck check, @Nullable SentinelView best, @Nullable RoleCheck verifiedRole,
			List<SentinelView> followed, boolean failoverInProgress, List<SentinelEvent> history, Instant now) {
		learnReplicas(best, verifiedRole);
		this.snapshot = this.assembler.afterCheck(this.snapshot, check, followed, this.master,
				Set.copyOf(this.everVerified), failoverInProgress, history, now);
	}

	/**
	 * The nodes a sentinel may name without confirmation: the master, the replicas a configured sentinel lists or
	 * the verified master reports, and every master the application used before.
	 */
	Set<NodeAddress> nodes() {
		Set<NodeAddress> known = new HashSet<>(this.everVerified);
		DiscoveredMaster current = this.master;
		if (current != null) {
			known.add(current.address());
		}
		known.addAll(this.replicas);
		return known;
	}

	private void learnReplicas(@Nullable SentinelView best, @Nullable RoleCheck verifiedRole) {
		boolean vouched = best != null && this.trust.vouchesForReplicas(best);
		if (!vouched && verifiedRole == null) {
			return;
		}
		Set<NodeAddress> learned = new HashSet<>();
		if (vouched) {
			best.replicas().forEach((replica) -> learned.add(this.assembler.replicaAddress(replica)));
		}
		if (verifiedRole != null) {
			verifiedRole.replicas().forEach((offset) -> learned.add(this.addresses.reachable(offset.address())));
		}
		this.replicas = Set.copyOf(learned);
	}

}
