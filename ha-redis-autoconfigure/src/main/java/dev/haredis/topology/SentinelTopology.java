package dev.haredis.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.api.StatefulRedisConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import dev.haredis.support.BackgroundThreads;

/**
 * The application's single view of a Sentinel-managed topology, and the one place that decides where the master
 * is. Connection factories route through it, so every connection and reconnection goes to the role-verified
 * master.
 * <p>
 * Once started it follows every sentinel it can reach: it subscribes to all their events and acts on
 * {@code +switch-master} at once (speed), and it also asks them about the master every
 * {@linkplain MonitorSettings#refreshInterval() refresh interval}, verifying the answer with {@code ROLE}
 * (certainty: a lost event or a reconnecting sentinel cannot leave the application on the old master). Sentinels
 * announced later are followed too, up to a bound, but what they say alone never sends the application to an
 * address it does not know ({@link SentinelTrust}). All state changes happen on one thread, in order;
 * {@link TopologyListener}s are told on that thread.
 * <p>
 * On start it finds the master once. With {@code failFast} a failure stops the application with a
 * {@link MasterDiscoveryException} that says what each sentinel answered; without it the application starts
 * degraded and keeps looking.
 */
public class SentinelTopology implements SmartLifecycle {

	/** Early, so a misconfigured topology fails before web servers and listener containers start. */
	public static final int PHASE = -1000;

	private static final Log logger = LogFactory.getLog(SentinelTopology.class);

	/** Without monitoring, connections opened this soon after a verification reuse it. */
	private static final long REUSE_VERIFICATION_NANOS = Duration.ofMillis(250).toNanos();

	/** How often to poll the replica a sentinel is promoting. */
	private static final Duration PROMOTION_POLL_INTERVAL = Duration.ofMillis(10);

	/** How long one poll may take; a slow one is abandoned and the next one tries a new connection. */
	private static final Duration PROMOTION_POLL_TIMEOUT = Duration.ofMillis(100);

	/** How long to poll it at most; reconciliation and +switch-master take over after that. */
	private static final Duration PROMOTION_WATCH_LIMIT = Duration.ofSeconds(15);

	/** A topology has a handful of nodes; the bound only guards against endless distinct addresses. */
	private static final int MAX_REMEMBERED_MASTERS = 64;

	private static final Set<String> FAILOVER_STARTED = Set.of("+odown", "+try-failover", "+elected-leader",
			"+failover-state-select-slave", "+selected-slave", "+failover-state-send-slaveof-noone",
			"+failover-state-wait-promotion", "+promoted-slave", "+failover-state-reconf-slaves");

	private static final Set<String> FAILOVER_ENDED = Set.of("+failover-end", "+failover-end-for-timeout",
			"-odown", "-failover-abort-not-elected", "-failover-abort-no-good-slave", "-failover-abort-slave-timeout");

	private static final Set<String> RECONCILE_SOON = Set.of("+slave", "+convert-to-slave", "+reset-master",
			"+config-update-from", "-sdown", "+role-change", "+fix-slave-config", "+reboot", "+slave-reconf-done");

	private final MasterDiscovery discovery;

	private final SentinelConnector connector;

	private final MonitorSettings monitor;

	private final boolean failFast;

	private final Clock clock;

	private final SentinelTrust trust;

	private final List<TopologyListener> listeners = new CopyOnWriteArrayList<>();

	private final AtomicBoolean reconcileRequested = new AtomicBoolean();

	private final AtomicLong reconciliationErrors = new AtomicLong();

	private final AtomicLong failovers = new AtomicLong();

	// Owned by the topology thread once monitoring runs.
	private final Map<NodeAddress, SentinelLink> links = new LinkedHashMap<>();

	private final Deque<SentinelEvent> history = new ArrayDeque<>();

	private final Set<NodeAddress> lostSentinels = new HashSet<>();

	/** Masters this application reached and verified: one of them unreachable later is down, not behind NAT. */
	private final Set<NodeAddress> everVerified = ConcurrentHashMap.newKeySet();

	/**
	 * The replicas a configured sentinel lists or the verified master reports, never those a learned sentinel
	 * lists; topology thread only.
	 */
	private volatile Set<NodeAddress> knownReplicas = Set.of();

	private @Nullable Instant troubleSince;

	private boolean failoverInProgress;

	private @Nullable PromotionWatch promotionWatch;

	/** The master the application last moved away from, and the highest configuration epoch known then. */
	private @Nullable NodeAddress leftMaster;

	private long leftAtEpoch;

	private TopologyHealth lastHealth = TopologyHealth.UP;

	private List<String> lastProblems = List.of();

	private final AtomicBoolean checking = new AtomicBoolean();

	/** Set on the topology thread when a check was asked for while another ran. */
	private boolean recheck;

	private volatile @Nullable ScheduledExecutorService executor;

	private volatile @Nullable ScheduledExecutorService checker;

	private volatile @Nullable DiscoveredMaster master;

	private volatile long verifiedAt;

	private volatile TopologySnapshot snapshot;

	private volatile boolean running;

	/** Whether the current outage was logged already: one warning per outage, not one per reconnect attempt. */
	private volatile boolean outageLogged;

	/**
	 * Create a new instance.
	 * @param discovery how to find and verify the master
	 * @param connector opens the connections that follow the sentinels
	 * @param monitor how to follow the sentinels
	 * @param failFast whether a failed discovery on start stops the application
	 * @param clock the clock for event and failover times
	 */
	public SentinelTopology(MasterDiscovery discovery, SentinelConnector connector, MonitorSettings monitor,
			boolean failFast, Clock clock) {
		this.discovery = discovery;
		this.connector = connector;
		this.monitor = monitor;
		this.failFast = failFast;
		this.clock = clock;
		this.trust = new SentinelTrust(connector.getSettings().sentinels(), monitor.maxLearnedSentinels());
		this.snapshot = TopologySnapshot.unknown(getMasterName(), connector.getSettings().sentinels());
	}

	/**
	 * Return the name the sentinels monitor the master under.
	 * @return the master name
	 */
	public String getMasterName() {
		return this.discovery.getSettings().masterName();
	}

	/**
	 * Return the last verified master, without any network round trip.
	 * @return the master, or empty when none has been found yet
	 */
	public Optional<DiscoveredMaster> getMaster() {
		return Optional.ofNullable(this.master);
	}

	/**
	 * Return the latest picture of the topology, without any network round trip.
	 * @return the snapshot
	 */
	public TopologySnapshot getSnapshot() {
		return this.snapshot;
	}

	/**
	 * Return how many master switches the application made since it started.
	 * @return the number of failovers followed
	 */
	public long getFailovers() {
		return this.failovers.get();
	}

	/**
	 * Return how many reconciliations failed (no sentinel answered, or the master they named failed its role check).
	 * @return the number of failed reconciliations
	 */
	public long getReconciliationErrors() {
		return this.reconciliationErrors.get();
	}

	/**
	 * Register a listener, told about every {@link TopologyEvent} on the topology thread.
	 * @param listener the listener
	 */
	public void addListener(TopologyListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Return the master a new connection (or a reconnection) should go to. While the topology is monitored this is
	 * the master it follows; otherwise the sentinels are asked again, as the sentinel client rules ask, unless a
	 * verification finished moments ago. If no sentinel can be reached, the last verified master is used.
	 * @return the master address
	 * @throws MasterDiscoveryException when no master can be found and none was known
	 */
	public NodeAddress masterForNewConnection() {
		DiscoveredMaster current = this.master;
		if (current != null && (this.executor != null || System.nanoTime() - this.verifiedAt < REUSE_VERIFICATION_NANOS)) {
			return current.address();
		}
		try {
			return refresh().address();
		}
		catch (MasterDiscoveryException ex) {
			if (current == null) {
				throw ex;
			}
			if (!this.outageLogged) {
				this.outageLogged = true;
				logger.warn("Could not verify the master again; connecting to the last verified master "
						+ current.address() + " until the sentinels answer: " + ex.getMessage());
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Master still not verified: " + ex.getMessage());
			}
			return current.address();
		}
	}

	/**
	 * Ask the sentinels again and verify the answer.
	 * @return the verified master
	 * @throws MasterDiscoveryException when no master can be found
	 */
	public DiscoveredMaster refresh() {
		DiscoveredMaster discovered = this.discovery.discover();
		useMaster(discovered, "discovery");
		return discovered;
	}

	/**
	 * Check with the sentinels soon, instead of at the next refresh: for example after a server answered
	 * {@code READONLY}. Requests made while one is pending are merged.
	 */
	public void requestReconcile() {
		ScheduledExecutorService current = this.executor;
		if (current != null && this.reconcileRequested.compareAndSet(false, true)) {
			current.execute(() -> {
				this.reconcileRequested.set(false);
				reconcile();
			});
		}
	}

	private synchronized void useMaster(DiscoveredMaster discovered, String cause) {
		if (this.everVerified.size() < MAX_REMEMBERED_MASTERS) {
			this.everVerified.add(discovered.address());
		}
		DiscoveredMaster previous = this.master;
		this.master = discovered;
		this.verifiedAt = System.nanoTime();
		this.outageLogged = false;
		if (previous == null) {
			TopologySnapshot current = this.snapshot;
			this.snapshot = withMaster(current, discovered.address(), true, this.clock.instant(),
					current.lastFailover());
			logger.info("Master '" + getMasterName() + "' is at " + discovered.address() + " (named by sentinel "
					+ discovered.sentinel() + ", role verified)");
		}
		else if (!previous.address().equals(discovered.address())) {
			switched(previous.address(), discovered.address(), cause);
		}
	}

	private void switched(NodeAddress from, NodeAddress to, String cause) {
		this.leftMaster = from;
		this.leftAtEpoch = this.snapshot.configEpoch();
		Instant now = this.clock.instant();
		Instant since = this.troubleSince;
		this.troubleSince = null;
		this.failoverInProgress = false;
		this.failovers.incrementAndGet();
		MasterSwitchedEvent event = new MasterSwitchedEvent(getMasterName(), from, to, now, cause);
		this.snapshot = withMaster(this.snapshot, to, true, now, new TopologySnapshot.Failover(from, to, now,
				(since != null) ? Duration.between(since, now) : null, cause));
		logger.warn("Master '" + getMasterName() + "' switched from " + from + " to " + to + " (" + cause + ")");
		notifyListeners(event);
	}

	@Override
	public void start() {
		try {
			refresh();
		}
		catch (MasterDiscoveryException ex) {
			if (this.failFast) {
				throw ex;
			}
			logger.warn("Starting without a master (ha.redis.fail-fast=false); will keep looking: " + ex.getMessage());
		}
		if (this.monitor.enabled()) {
			ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("ha-redis-topology"));
			this.executor = started;
			this.checker = Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("ha-redis-topology-check"));
			// The first check completes before start() returns: a started application has a full snapshot.
			Future<?> first = started.submit(() -> {
				this.connector.getSettings().sentinels().forEach((sentinel) -> follow(sentinel, false, null));
				awaitSubscriptions();
				this.links.values().forEach(SentinelLink::connect);
				apply(gather(List.copyOf(this.links.values()), this.master, this.leftMaster, this.leftAtEpoch,
						knownNodes()));
			});
			awaitQuietly(first, this.connector.getSettings().timeout().multipliedBy(3));
			long interval = this.monitor.refreshInterval().toMillis();
			started.scheduleWithFixedDelay(this::reconcile, interval, interval, TimeUnit.MILLISECONDS);
		}
		this.running = true;
	}

	private void awaitSubscriptions() {
		long deadline = System.nanoTime() + this.connector.getSettings().timeout().toNanos();
		for (SentinelLink link : this.links.values()) {
			link.awaitConnected(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		}
	}

	private static void awaitQuietly(Future<?> future, Duration timeout) {
		try {
			future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("First check with the sentinels did not complete during start-up", ex);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		ScheduledExecutorService checking = this.checker;
		this.checker = null;
		if (checking != null) {
			checking.shutdownNow();
		}
		ScheduledExecutorService current = this.executor;
		this.executor = null;
		if (current != null) {
			current.shutdownNow();
			try {
				current.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		stopWatchingPromotion();
		this.links.values().forEach(SentinelLink::close);
		this.links.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Follow a sentinel, unless it is followed already: at that address, or (for one learned from the others) under
	 * its id, at another address. A learned sentinel that stopped answering and is now announced at another
	 * address (recreated with a new IP, {@code +sentinel-address-switch}) is followed there instead.
	 * @param sentinel its reachable address
	 * @param learned whether it was learned from the other sentinels rather than configured
	 * @param announcedId the id the other sentinels announced it with, if any
	 */
	private void follow(NodeAddress sentinel, boolean learned, @Nullable String announcedId) {
		SentinelLink same = (announcedId != null) ? linkWithId(announcedId) : null;
		if (same != null) {
			if (!same.learned() || same.answering() || same.sentinel().equals(sentinel)) {
				return;
			}
			logger.info("Sentinel " + same.sentinel() + " is announced at " + sentinel + " now; following it there");
			forget(same);
		}
		if (learned && !this.links.containsKey(sentinel) && !this.trust.mayLearn(sentinel,
				(int) this.links.values().stream().filter(SentinelLink::learned).count())) {
			return;
		}
		this.links.computeIfAbsent(sentinel, (address) -> {
			SentinelLink link = new SentinelLink(address, learned, announcedId, this.connector, this::received,
					this.clock);
			link.connect();
			return link;
		});
	}

	private @Nullable SentinelLink linkWithId(String id) {
		return this.links.values().stream().filter((link) -> id.equals(link.id())).findFirst().orElse(null);
	}

	private void forget(SentinelLink link) {
		this.links.remove(link.sentinel());
		this.lostSentinels.remove(link.sentinel());
		link.close();
	}

	/**
	 * Stop following learned sentinels that turned out to be followed already under another address: a sentinel
	 * configured as {@code localhost} and listed by the others as {@code 127.0.0.1}, or one they announce under an
	 * address only valid behind NAT. Configured sentinels are kept, and each sentinel is counted once.
	 */
	private void forgetDuplicateSentinels() {
		Set<String> seen = new HashSet<>();
		for (SentinelLink link : List.copyOf(this.links.values())) {
			String id = link.id();
			if (id != null && !seen.add(id) && link.learned()) {
				logger.debug("Sentinel " + link.sentinel() + " is followed under another address already");
				forget(link);
			}
		}
	}

	/** Called on a Netty thread: hand over to the topology thread. */
	private void received(SentinelEvent event) {
		ScheduledExecutorService current = this.executor;
		if (current != null) {
			current.execute(() -> handle(event));
		}
	}

	private void handle(SentinelEvent event) {
		if (!getMasterName().equals(event.masterName())) {
			return;
		}
		String type = event.type();
		NodeAddress named = promoted(event);
		// Only a configured sentinel's events change the state; a learned one's may still send the application to a
		// known node at once, and otherwise only ask for a check with the sentinels.
		boolean configured = this.trust.actsOn(event);
		boolean follow = (named != null) ? trusted(event, named) : configured;
		if (follow && "+switch-master".equals(type)) {
			DiscoveredMaster current = this.master;
			if (named != null && (current == null || !current.address().equals(named))) {
				switchAfterRoleCheck(named, event);
			}
		}
		else if (configured && event.isAboutMaster() && ("+sdown".equals(type) || FAILOVER_STARTED.contains(type))) {
			if (this.troubleSince == null) {
				this.troubleSince = event.at();
			}
			this.failoverInProgress |= FAILOVER_STARTED.contains(type);
		}
		else if (configured && FAILOVER_STARTED.contains(type)) {
			this.failoverInProgress = true;
		}
		if (follow && "+selected-slave".equals(type) && named != null) {
			watchPromotion(named, event);
		}
		if (!configured) {
			logger.debug("Not acting on " + type + " from sentinel " + event.reportedBy()
					+ ", learned from the others; checking with the sentinels");
			requestReconcile();
			return;
		}
		this.history.addLast(event);
		while (this.history.size() > this.monitor.eventHistory()) {
			this.history.removeFirst();
		}
		if (FAILOVER_ENDED.contains(type)) {
			this.failoverInProgress = false;
			stopWatchingPromotion();
		}
		if ("+sentinel".equals(type) && event.instance() != null) {
			// A sentinel instance's name is its id.
			follow(this.connector.reachable(event.instance().address()), true, event.instance().name());
		}
		if (RECONCILE_SOON.contains(type)) {
			requestReconcile();
		}
		this.snapshot = withEvents(this.snapshot);
		notifyListeners(event);
		checkHealth();
	}

	/**
	 * The node an event names as the new master ({@code +switch-master}) or as the replica being promoted
	 * ({@code +selected-slave}), as reachable.
	 */
	private @Nullable NodeAddress promoted(SentinelEvent event) {
		if ("+switch-master".equals(event.type())) {
			return reachable(event.switchedTo());
		}
		SentinelEvent.Instance instance = event.instance();
		return ("+selected-slave".equals(event.type()) && instance != null)
				? this.connector.reachable(instance.address()) : null;
	}

	/**
	 * Whether an event may send the application to the node it names at once. Otherwise nothing is sent to that
	 * node (no role check, so no credentials) until the sentinels confirm it at a check, asked for now.
	 */
	private boolean trusted(SentinelEvent event, NodeAddress named) {
		if (this.trust.trustsEvent(event, named, knownNodes())) {
			return true;
		}
		requestReconcile();
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
		if (vouched && best != null) {
			best.replicas().forEach((replica) -> replicas.add(replicaAddress(replica)));
		}
		if (verifiedRole != null) {
			verifiedRole.replicas().forEach((offset) -> replicas.add(this.connector.reachable(offset.address())));
		}
		this.knownReplicas = Set.copyOf(replicas);
	}

	private NodeAddress replicaAddress(Map<String, String> replica) {
		return this.connector.reachable(new NodeAddress(replica.get("ip"), Integer.parseInt(replica.get("port"))));
	}

	private @Nullable NodeAddress reachable(@Nullable NodeAddress announced) {
		return (announced != null) ? this.connector.reachable(announced) : null;
	}

	/**
	 * A sentinel chose the replica to promote and is about to send it {@code SLAVEOF NO ONE}; it announces
	 * {@code +switch-master} only after its next {@code INFO} poll, up to a second later, while the old master may
	 * still accept writes that will be lost. Polling the replica's role closes most of that window.
	 */
	private void watchPromotion(NodeAddress candidate, SentinelEvent event) {
		stopWatchingPromotion();
		ScheduledExecutorService current = this.executor;
		if (current == null) {
			return;
		}
		PromotionWatch watch = new PromotionWatch(candidate, event.reportedBy(),
				System.nanoTime() + PROMOTION_WATCH_LIMIT.toNanos());
		watch.task = current.scheduleWithFixedDelay(() -> pollPromotion(watch), 0,
				PROMOTION_POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		this.promotionWatch = watch;
	}

	private void pollPromotion(PromotionWatch watch) {
		DiscoveredMaster current = this.master;
		if (this.promotionWatch != watch || System.nanoTime() > watch.deadline
				|| (current != null && current.address().equals(watch.candidate))) {
			if (this.promotionWatch == watch) {
				stopWatchingPromotion();
			}
			return;
		}
		try {
			if (watch.connection == null) {
				watch.connection = this.connector.connectDataNode(watch.candidate, PROMOTION_POLL_TIMEOUT);
			}
			RoleCheck role = RoleCheck.of(watch.candidate, watch.connection.async()
				.role()
				.get(PROMOTION_POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
			if (role.isMaster()) {
				stopWatchingPromotion();
				useMaster(new DiscoveredMaster(watch.candidate, watch.sentinel, List.of()),
						"promotion of " + watch.candidate + " seen during failover (+selected-slave from sentinel "
								+ watch.sentinel + ")");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException | ExecutionException | TimeoutException ex) {
			// The sentinel kills the replica's clients while promoting it: poll again on a new connection.
			logger.debug("Polling the role of " + watch.candidate + " failed: " + RedisErrors.describe(ex));
			watch.closeConnection();
		}
	}

	private void stopWatchingPromotion() {
		PromotionWatch watch = this.promotionWatch;
		this.promotionWatch = null;
		if (watch != null) {
			if (watch.task != null) {
				watch.task.cancel(false);
			}
			watch.closeConnection();
		}
	}

	private void switchAfterRoleCheck(NodeAddress to, SentinelEvent event) {
		try {
			RoleCheck role = this.discovery.checkRole(to);
			if (role.isMaster()) {
				useMaster(new DiscoveredMaster(to, event.reportedBy(), List.of()),
						"+switch-master from sentinel " + event.reportedBy());
				return;
			}
			logger.warn("Sentinel " + event.reportedBy() + " announced " + to + " as master, but it reports role '"
					+ role.role() + "'; checking again");
		}
		catch (RuntimeException ex) {
			logger.warn("Sentinel " + event.reportedBy() + " announced " + to + " as master, but it could not be "
					+ "checked: " + RedisErrors.describe(ex));
		}
		requestReconcile();
	}

	/**
	 * Start a check with the sentinels unless one is under way. Runs on the topology thread; the blocking part
	 * (asking the sentinels, checking roles, which can take a full timeout against a frozen server) runs on the
	 * checker thread, so events and the promotion watch never wait behind it.
	 */
	private void reconcile() {
		ScheduledExecutorService checker = this.checker;
		if (checker == null) {
			return;
		}
		if (!this.checking.compareAndSet(false, true)) {
			// One is under way and may have started before what prompted this request: check again after it.
			this.recheck = true;
			return;
		}
		this.links.values().forEach(SentinelLink::connect);
		List<SentinelLink> links = List.copyOf(this.links.values());
		DiscoveredMaster current = this.master;
		NodeAddress left = this.leftMaster;
		long leftEpoch = this.leftAtEpoch;
		Set<NodeAddress> known = knownNodes();
		checker.execute(() -> {
			Check check = null;
			try {
				check = gather(links, current, left, leftEpoch, known);
			}
			catch (RuntimeException ex) {
				logger.warn("Checking with the sentinels failed", ex);
			}
			Check result = check;
			ScheduledExecutorService topologyThread = this.executor;
			if (topologyThread == null) {
				this.checking.set(false);
				return;
			}
			topologyThread.execute(() -> {
				try {
					if (result != null) {
						apply(result);
					}
					else {
						this.reconciliationErrors.incrementAndGet();
					}
				}
				finally {
					this.checking.set(false);
					if (this.recheck) {
						this.recheck = false;
						reconcile();
					}
				}
			});
		});
	}

	/**
	 * Ask every followed sentinel about the master, take the answer {@link SentinelTrust#best} picks and check its
	 * role. Blocking; never touches the topology's state.
	 */
	private Check gather(List<SentinelLink> links, @Nullable DiscoveredMaster current, @Nullable NodeAddress left,
			long leftEpoch, Set<NodeAddress> known) {
		Duration timeout = this.connector.getSettings().timeout();
		List<CompletableFuture<SentinelView>> pending = new ArrayList<>();
		for (SentinelLink link : links) {
			pending.add(link.query(getMasterName(), timeout));
		}
		List<SentinelView> views = pending.stream().map(CompletableFuture::join).toList();
		SentinelView best = this.trust.best(views, known);
		Map<NodeAddress, NodeAddress> unconfirmed = this.trust.unconfirmed(views, known);
		NodeAddress candidate = (best != null) ? best.master() : (current != null) ? current.address() : null;
		boolean staleReturn = best != null && current != null && candidate.equals(left)
				&& !candidate.equals(current.address()) && best.configEpoch() <= leftEpoch;
		if (staleReturn) {
			// The sentinels name the master the application left (dead after a kill, still a master in a manual
			// failover) until +switch-master: what counts is whether the promoted one answers as master.
			RoleAnswer currentRole = askRole(current.address());
			if (isMaster(currentRole.role())) {
				return new Check(views, best, current.address(), currentRole, true, current, unconfirmed);
			}
		}
		RoleAnswer role = (candidate != null) ? askRole(candidate) : RoleAnswer.NONE;
		return new Check(views, best, candidate, role, false, current, unconfirmed);
	}

	/**
	 * Apply a check on the topology thread: switch if the sentinels name another verified master, and refresh the
	 * snapshot. Going back to the master the application just left is refused, and the promoted master counts as
	 * verified, while the sentinels have not published a newer configuration epoch and the master in use answers as
	 * master: right after a promotion the sentinels still name the old master (dead after a kill, still a master in
	 * a manual failover) until {@code +switch-master}.
	 */
	private void apply(Check check) {
		this.trust.listing(check.views()).forEach(this::learnSentinels);
		forgetDuplicateSentinels();
		forgetUnlistedSentinels(check.views());
		// What forgotten sentinels said still counts for the master, not as sentinels of their own.
		List<SentinelView> followed = check.views()
			.stream()
			.filter((view) -> this.links.containsKey(view.sentinel()))
			.toList();
		trackReachability(followed);
		DiscoveredMaster current = check.master();
		if (this.master != current) {
			// The application switched while the check ran; its answer is already out of date.
			requestReconcile();
			return;
		}
		NodeAddress candidate = check.candidate();
		RoleCheck role = check.role().role();
		boolean verified = isMaster(role);
		SentinelView best = check.best();
		if (check.staleReturn()) {
			logger.debug("Sentinels still name " + ((best != null) ? best.master() : null) + "; staying on the promoted master " + candidate
					+ " until their configuration catches up");
		}
		else if (verified && best != null && candidate != null) {
			useMaster(new DiscoveredMaster(candidate, best.sentinel(), List.of()),
					"reconciliation: sentinel " + best.sentinel() + " names " + candidate);
		}
		if (!verified) {
			this.reconciliationErrors.incrementAndGet();
		}
		this.trust.reportUnconfirmed(check.unconfirmed());
		learnReplicas(best, verified ? role : null);
		this.snapshot = build(followed, best, candidate, verified, role, check.role(), check.unconfirmed());
		checkHealth();
	}

	private RoleAnswer askRole(NodeAddress node) {
		try {
			return new RoleAnswer(this.discovery.checkRole(node), null, false);
		}
		catch (RuntimeException ex) {
			String problem = RedisErrors.isHostNameMismatch(ex)
					? "its " + RedisErrors.describeHostNameMismatch(node.host(), ex)
					: RedisErrors.describe(ex);
			logger.debug("Role check of " + node + " failed: " + problem);
			return new RoleAnswer(null, problem, RedisErrors.isUnreachable(ex));
		}
	}

	/**
	 * Say why the master is not verified. An address that cannot be reached and never could gets the hint that
	 * solves it behind Docker or NAT; a master that was reachable before (it died, or is frozen) does not.
	 */
	private @Nullable String masterProblem(@Nullable NodeAddress candidate, @Nullable NodeAddress shown,
			RoleAnswer answer) {
		if (candidate == null) {
			return null;
		}
		String subject = candidate.equals(shown) ? "master " + this.connector.describe(candidate)
				: "the master the sentinels name, " + this.connector.describe(candidate) + ",";
		RoleCheck role = answer.role();
		if (role != null) {
			return subject + " reports role '" + role.role() + "'";
		}
		if (answer.problem() == null) {
			return null;
		}
		if (!answer.unreachable()) {
			return subject + " failed its role check (" + answer.problem() + ")";
		}
		String problem = subject + " cannot be reached (" + answer.problem() + ")";
		return this.everVerified.contains(candidate) ? problem
				: problem + ". " + MasterDiscoveryException.UNREACHABLE_MASTER_ADVICE;
	}

	private static boolean isMaster(@Nullable RoleCheck role) {
		return role != null && role.isMaster();
	}

	private void learnSentinels(SentinelView view) {
		for (Map<String, String> other : view.sentinels()) {
			NodeAddress address = listedAddress(other);
			if (address != null) {
				follow(address, true, other.get("runid"));
			}
		}
	}

	private @Nullable NodeAddress listedAddress(Map<String, String> sentinel) {
		try {
			return this.connector.reachable(new NodeAddress(sentinel.get("ip"), Integer.parseInt(sentinel.get("port"))));
		}
		catch (RuntimeException ex) {
			logger.debug("Ignoring malformed sentinel entry " + sentinel.keySet());
			return null;
		}
	}

	/**
	 * Stop following learned sentinels the configured sentinels do not list (removed by {@code SENTINEL RESET}, or
	 * never real: announced once on {@code __sentinel__:hello}), or, while no configured sentinel answers, learned
	 * sentinels that do not answer and no sentinel that answered lists. They give their place under
	 * {@code ha.redis.sentinel.max-learned} back.
	 */
	private void forgetUnlistedSentinels(List<SentinelView> views) {
		Set<NodeAddress> listed = new HashSet<>();
		this.trust.listing(views).forEach((view) -> view.sentinels().stream()
			.map(this::listedAddress)
			.filter(Objects::nonNull)
			.forEach(listed::add));
		Set<NodeAddress> learned = new HashSet<>();
		this.links.values().stream().filter(SentinelLink::learned).forEach((link) -> learned.add(link.sentinel()));
		for (NodeAddress sentinel : this.trust.unlisted(views, learned, listed)) {
			SentinelLink link = this.links.get(sentinel);
			if (link != null) {
				logger.info("Sentinel " + sentinel + " is no longer listed by the configured sentinels (or, while "
						+ "none answers, does not answer and the others no longer list it); not following it any more");
				forget(link);
			}
		}
	}

	private void trackReachability(List<SentinelView> views) {
		Instant now = this.clock.instant();
		for (SentinelView view : views) {
			if (!view.reachable() && this.lostSentinels.add(view.sentinel())) {
				notifyListeners(new SentinelLostEvent(view.sentinel(), Objects.requireNonNull(view.problem()), now));
			}
			else if (view.reachable() && this.lostSentinels.remove(view.sentinel())) {
				notifyListeners(new SentinelRegainedEvent(view.sentinel(), now));
			}
		}
	}

	private TopologySnapshot build(List<SentinelView> views, @Nullable SentinelView best,
			@Nullable NodeAddress candidate, boolean verified, @Nullable RoleCheck role, RoleAnswer answer,
			Map<NodeAddress, NodeAddress> unconfirmed) {
		List<TopologySnapshot.Sentinel> sentinels = views.stream()
			.map((view) -> new TopologySnapshot.Sentinel(view.sentinel(), view.reachable(), view.problem(),
					!this.trust.isConfigured(view.sentinel()), unconfirmed.get(view.sentinel())))
			.toList();
		List<TopologySnapshot.Replica> replicas = new ArrayList<>();
		if (best != null) {
			for (Map<String, String> replica : best.replicas()) {
				NodeAddress address = replicaAddress(replica);
				String flags = replica.getOrDefault("flags", "");
				String state = flags.contains("s_down") || flags.contains("o_down") ? "down"
						: (flags.contains("disconnected") || !"ok".equals(replica.get("master-link-status")))
								? "disconnected" : "online";
				replicas.add(new TopologySnapshot.Replica(address, state, lag(role, address)));
			}
		}
		SentinelView quorumView = views.stream().filter(SentinelView::reachable).findFirst().orElse(null);
		DiscoveredMaster current = this.master;
		NodeAddress shown = verified ? candidate : (current != null) ? current.address() : candidate;
		String masterProblem = verified ? null : masterProblem(candidate, shown, answer);
		TopologySnapshot previous = this.snapshot;
		return new TopologySnapshot(getMasterName(), shown, verified,
				verified ? this.clock.instant() : previous.masterVerifiedAt(), replicas, sentinels,
				(best != null) ? best.quorum() : previous.quorum(),
				(quorumView != null) ? quorumView.quorumCheck() : null, quorumView != null && quorumView.quorumOk(),
				(best != null) ? best.configEpoch() : previous.configEpoch(),
				this.failoverInProgress || (best != null && best.masterFlagged("failover_in_progress")),
				previous.lastFailover(), List.copyOf(this.history), this.connector.announcedAddresses(), masterProblem);
	}

	private @Nullable Long lag(@Nullable RoleCheck role, NodeAddress replica) {
		if (role == null || !role.isMaster()) {
			return null;
		}
		return role.replicas()
			.stream()
			.filter((offset) -> this.connector.reachable(offset.address()).equals(replica))
			.findFirst()
			.map((offset) -> Math.max(0, role.offset() - offset.offset()))
			.orElse(null);
	}

	private TopologySnapshot withEvents(TopologySnapshot current) {
		return new TopologySnapshot(current.masterName(), current.master(), current.masterVerified(),
				current.masterVerifiedAt(), current.replicas(), current.sentinels(), current.quorum(),
				current.quorumCheck(), current.quorumOk(), current.configEpoch(), this.failoverInProgress,
				current.lastFailover(), List.copyOf(this.history), this.connector.announcedAddresses(),
				current.masterProblem());
	}

	private TopologySnapshot withMaster(TopologySnapshot current, NodeAddress to, boolean verified, Instant at,
			TopologySnapshot.@Nullable Failover failover) {
		return new TopologySnapshot(current.masterName(), to, verified, at, current.replicas(), current.sentinels(),
				current.quorum(), current.quorumCheck(), current.quorumOk(), current.configEpoch(), false, failover,
				List.copyOf(this.history), this.connector.announcedAddresses(), null);
	}

	private void checkHealth() {
		TopologySnapshot current = this.snapshot;
		TopologyHealth health = current.health();
		List<String> problems = current.problems();
		if (health == this.lastHealth && problems.equals(this.lastProblems)) {
			return;
		}
		this.lastHealth = health;
		this.lastProblems = problems;
		Instant now = this.clock.instant();
		if (health == TopologyHealth.UP) {
			logger.info("Topology of '" + getMasterName() + "' is healthy again");
			notifyListeners(new TopologyRecoveredEvent(now));
		}
		else {
			logger.warn("Topology of '" + getMasterName() + "' is " + health + ": " + String.join("; ", problems));
			notifyListeners(new TopologyDegradedEvent(health, problems, now));
		}
	}

	private void notifyListeners(TopologyEvent event) {
		for (TopologyListener listener : this.listeners) {
			try {
				listener.onTopologyEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Topology listener " + listener + " failed on " + event, ex);
			}
		}
	}

	/**
	 * The outcome of asking the sentinels, taken on the checker thread and applied on the topology thread.
	 */
	private record Check(List<SentinelView> views, @Nullable SentinelView best, @Nullable NodeAddress candidate,
			RoleAnswer role, boolean staleReturn, @Nullable DiscoveredMaster master,
			Map<NodeAddress, NodeAddress> unconfirmed) {

	}

	/**
	 * What a role check answered, or why it failed.
	 */
	private record RoleAnswer(@Nullable RoleCheck role, @Nullable String problem, boolean unreachable) {

		static final RoleAnswer NONE = new RoleAnswer(null, null, false);

	}

	/**
	 * The replica a sentinel is promoting, polled until it reports the master role.
	 */
	private static final class PromotionWatch {

		private final NodeAddress candidate;

		private final NodeAddress sentinel;

		private final long deadline;

		private @Nullable ScheduledFuture<?> task;

		private @Nullable StatefulRedisConnection<String, String> connection;

		PromotionWatch(NodeAddress candidate, NodeAddress sentinel, long deadline) {
			this.candidate = candidate;
			this.sentinel = sentinel;
			this.deadline = deadline;
		}

		void closeConnection() {
			StatefulRedisConnection<String, String> open = this.connection;
			this.connection = null;
			if (open != null) {
				open.closeAsync();
			}
		}

	}

	/**
	 * How the topology follows the sentinels.
	 *
	 * @param enabled whether to follow them at all (without it, each new connection asks the sentinels)
	 * @param refreshInterval how often to ask them, as a backup to their events
	 * @param eventHistory how many recent sentinel events to keep
	 * @param maxLearnedSentinels how many sentinels learned from the others to follow at most
	 */
	public record MonitorSettings(boolean enabled, Duration refreshInterval, int eventHistory,
			int maxLearnedSentinels) {

	}

}
