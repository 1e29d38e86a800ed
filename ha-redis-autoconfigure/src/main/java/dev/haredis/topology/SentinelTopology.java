package dev.haredis.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

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
 * address it does not know ({@link SentinelTrust}). Every decision is the {@link TopologyCore}'s, which does no
 * I/O; this class does the I/O it asks for and feeds the answers back. All state changes happen on one thread, in
 * order; {@link TopologyListener}s are told on that thread.
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

	private final MasterDiscovery discovery;

	private final SentinelConnector connector;

	private final MonitorSettings monitor;

	private final boolean failFast;

	private final Clock clock;

	private final TopologyCore core;

	private final Supplier<? extends List<TopologyListener>> listenerBeans;

	private volatile List<TopologyListener> listeners = List.of();

	private final AtomicBoolean reconcileRequested = new AtomicBoolean();

	private final AtomicBoolean checking = new AtomicBoolean();

	// Owned by the topology thread once monitoring runs.
	private final Map<NodeAddress, SentinelLink> links = new LinkedHashMap<>();

	/** Set on the topology thread when a check was asked for while another ran. */
	private boolean recheck;

	private @Nullable PromotionWatch promotionWatch;

	private volatile @Nullable ScheduledExecutorService executor;

	private volatile @Nullable ScheduledExecutorService checker;

	private volatile long verifiedAt;

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
		this(discovery, connector, monitor, failFast, clock, List::of);
	}

	/**
	 * Create a new instance with listeners.
	 * @param discovery how to find and verify the master
	 * @param connector opens the connections that follow the sentinels
	 * @param monitor how to follow the sentinels
	 * @param failFast whether a failed discovery on start stops the application
	 * @param clock the clock for event and failover times
	 * @param listeners the listeners, in the order they are told, taken once when the topology starts (the
	 * listener beans, which may need the topology themselves)
	 */
	public SentinelTopology(MasterDiscovery discovery, SentinelConnector connector, MonitorSettings monitor,
			boolean failFast, Clock clock, Supplier<? extends List<TopologyListener>> listeners) {
		this.listenerBeans = listeners;
		this.discovery = discovery;
		this.connector = connector;
		this.monitor = monitor;
		this.failFast = failFast;
		this.clock = clock;
		this.core = new TopologyCore(discovery.getSettings().masterName(), connector.getSettings().sentinels(),
				monitor, connector.addresses());
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
		return Optional.ofNullable(this.core.master());
	}

	/**
	 * Return the latest picture of the topology, without any network round trip.
	 * @return the snapshot
	 */
	public TopologySnapshot getSnapshot() {
		return this.core.snapshot();
	}

	/**
	 * Return how many master switches the application made since it started.
	 * @return the number of failovers followed
	 */
	public long getFailovers() {
		return this.core.failovers();
	}

	/**
	 * Return how many reconciliations failed (no sentinel answered, or the master they named failed its role check).
	 * @return the number of failed reconciliations
	 */
	public long getReconciliationErrors() {
		return this.core.reconciliationErrors();
	}

	/**
	 * Return the listeners, in the order they are told about every {@link TopologyEvent}; empty until the topology
	 * starts.
	 * @return the listeners
	 */
	public List<TopologyListener> getListeners() {
		return this.listeners;
	}

	/**
	 * Return the master a new connection (or a reconnection) should go to. While the topology is monitored this is
	 * the master it follows; otherwise the sentinels are asked again, as the sentinel client rules ask, unless a
	 * verification finished moments ago. If no sentinel can be reached, the last verified master is used.
	 * @return the master address
	 * @throws MasterDiscoveryException when no master can be found and none was known
	 */
	public NodeAddress masterForNewConnection() {
		DiscoveredMaster current = this.core.master();
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
		this.verifiedAt = System.nanoTime();
		this.outageLogged = false;
		carryOut(this.core.verified(discovered, "discovery", this.clock.instant()));
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

	@Override
	public void start() {
		this.listeners = List.copyOf(this.listenerBeans.get());
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
			ScheduledExecutorService started = Executors
				.newSingleThreadScheduledExecutor(BackgroundThreads.named("ha-redis-topology"));
			this.executor = started;
			this.checker = Executors.newSingleThreadScheduledExecutor(BackgroundThreads.named("ha-redis-topology-check"));
			// The first check completes before start() returns: a started application has a full snapshot.
			Future<?> first = started.submit(() -> {
				carryOut(this.core.followConfigured(this.connector.getSettings().sentinels()));
				awaitSubscriptions();
				this.links.values().forEach(SentinelLink::connect);
				carryOut(this.core.checked(gather(this.core.checkRequest()), this.clock.instant()));
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
	 * Carry out the core's decisions, in order. A role check before a switch runs here, on the topology thread (a
	 * frozen server holds it up to the timeout, as the sentinels do), and its answer's decisions come first.
	 */
	private void carryOut(List<TopologyDecision> decisions) {
		for (TopologyDecision decision : decisions) {
			if (decision instanceof TopologyDecision.Publish publish) {
				notifyListeners(publish.event());
			}
			else if (decision instanceof TopologyDecision.Reconcile) {
				requestReconcile();
			}
			else if (decision instanceof TopologyDecision.CheckRoleThenSwitch check) {
				carryOut(checkAnnouncedRole(check));
			}
			else if (decision instanceof TopologyDecision.WatchPromotion watch) {
				watchPromotion(watch);
			}
			else if (decision instanceof TopologyDecision.StopWatchingPromotion) {
				stopWatchingPromotion();
			}
			else if (decision instanceof TopologyDecision.Follow follow) {
				this.links.computeIfAbsent(follow.sentinel(), (address) -> {
					SentinelLink link = new SentinelLink(address, follow.learned(), follow.announcedId(),
							this.connector, this::received, this.clock);
					link.connect();
					return link;
				});
			}
			else if (decision instanceof TopologyDecision.Forget forget) {
				SentinelLink link = this.links.remove(forget.sentinel());
				if (link != null) {
					link.close();
				}
			}
		}
	}

	private List<TopologyDecision> checkAnnouncedRole(TopologyDecision.CheckRoleThenSwitch check) {
		try {
			RoleCheck role = this.discovery.checkRole(check.node());
			return this.core.announcedRoleChecked(check, role, null, this.clock.instant());
		}
		catch (RuntimeException ex) {
			return this.core.announcedRoleChecked(check, null, RedisErrors.describe(ex), this.clock.instant());
		}
	}

	/** Called on a Netty thread: hand over to the topology thread. */
	private void received(SentinelEvent event) {
		ScheduledExecutorService current = this.executor;
		if (current != null) {
			current.execute(() -> carryOut(this.core.event(event)));
		}
	}

	/**
	 * A sentinel chose the replica to promote and is about to send it {@code SLAVEOF NO ONE}; it announces
	 * {@code +switch-master} only after its next {@code INFO} poll, up to a second later, while the old master may
	 * still accept writes that will be lost. Polling the replica's role closes most of that window.
	 */
	private void watchPromotion(TopologyDecision.WatchPromotion decision) {
		stopWatchingPromotion();
		ScheduledExecutorService current = this.executor;
		if (current == null) {
			return;
		}
		PromotionWatch watch = new PromotionWatch(decision, System.nanoTime() + PROMOTION_WATCH_LIMIT.toNanos());
		watch.task = current.scheduleWithFixedDelay(() -> pollPromotion(watch), 0,
				PROMOTION_POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		this.promotionWatch = watch;
	}

	private void pollPromotion(PromotionWatch watch) {
		NodeAddress candidate = watch.decision.candidate();
		DiscoveredMaster current = this.core.master();
		if (this.promotionWatch != watch || System.nanoTime() > watch.deadline
				|| (current != null && current.address().equals(candidate))) {
			if (this.promotionWatch == watch) {
				stopWatchingPromotion();
			}
			return;
		}
		try {
			if (watch.connection == null) {
				watch.connection = this.connector.connectDataNode(candidate, PROMOTION_POLL_TIMEOUT);
			}
			RoleCheck role = RoleCheck.of(candidate, watch.connection.async()
				.role()
				.get(PROMOTION_POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
			if (role.isMaster()) {
				carryOut(this.core.promotionSeen(watch.decision, this.clock.instant()));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException | ExecutionException | TimeoutException ex) {
			// The sentinel kills the replica's clients while promoting it: poll again on a new connection.
			logger.debug("Polling the role of " + candidate + " failed: " + RedisErrors.describe(ex));
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
		SentinelCheck.Request request = this.core.checkRequest();
		checker.execute(() -> {
			SentinelCheck check = null;
			try {
				check = gather(request);
			}
			catch (RuntimeException ex) {
				logger.warn("Checking with the sentinels failed", ex);
			}
			SentinelCheck result = check;
			ScheduledExecutorService topologyThread = this.executor;
			if (topologyThread == null) {
				this.checking.set(false);
				return;
			}
			topologyThread.execute(() -> {
				try {
					if (result != null) {
						carryOut(this.core.checked(result, this.clock.instant()));
					}
					else {
						this.core.checkFailed();
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
	 * Ask every followed sentinel about the master and check the role of the master the core's plan names.
	 * Blocking; reads no state of the topology's but the links.
	 */
	private SentinelCheck gather(SentinelCheck.Request request) {
		Duration timeout = this.connector.getSettings().timeout();
		List<CompletableFuture<SentinelView>> pending = new ArrayList<>();
		for (NodeAddress sentinel : request.sentinels()) {
			SentinelLink link = this.links.get(sentinel);
			pending.add((link != null) ? link.query(getMasterName(), timeout)
					: CompletableFuture.completedFuture(SentinelView.unreachable(sentinel, "not followed")));
		}
		List<SentinelView> views = pending.stream().map(CompletableFuture::join).toList();
		SentinelCheck.Plan plan = request.plan(views);
		DiscoveredMaster current = request.master();
		if (plan.staleReturn() && current != null) {
			SentinelCheck.RoleAnswer currentRole = askRole(current.address());
			if (currentRole.isMaster()) {
				return new SentinelCheck(views, plan.best(), current.address(), currentRole, true, current,
						plan.unconfirmed());
			}
		}
		NodeAddress candidate = plan.candidate();
		SentinelCheck.RoleAnswer role = (candidate != null) ? askRole(candidate) : SentinelCheck.RoleAnswer.NONE;
		return new SentinelCheck(views, plan.best(), candidate, role, false, current, plan.unconfirmed());
	}

	private SentinelCheck.RoleAnswer askRole(NodeAddress node) {
		try {
			return new SentinelCheck.RoleAnswer(this.discovery.checkRole(node), null, false);
		}
		catch (RuntimeException ex) {
			String problem = RedisErrors.isHostNameMismatch(ex)
					? "its " + RedisErrors.describeHostNameMismatch(node.host(), ex)
					: RedisErrors.describe(ex);
			logger.debug("Role check of " + node + " failed: " + problem);
			return new SentinelCheck.RoleAnswer(null, problem, RedisErrors.isUnreachable(ex));
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
	 * The replica a sentinel is promoting, polled until it reports the master role.
	 */
	private static final class PromotionWatch {

		private final TopologyDecision.WatchPromotion decision;

		private final long deadline;

		private @Nullable ScheduledFuture<?> task;

		private @Nullable StatefulRedisConnection<String, String> connection;

		PromotionWatch(TopologyDecision.WatchPromotion decision, long deadline) {
			this.decision = decision;
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
