package dev.haredis.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.lettuce.core.RedisConnectionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The application's single view of a Sentinel-managed topology. Connection factories route through it, so every
 * connection and reconnection goes to the role-verified master.
 * <p>
 * Once started it follows every sentinel it can reach: it subscribes to all their events and acts on
 * {@code +switch-master} at once (speed), and it also asks them about the master every
 * {@linkplain MonitorSettings#refreshInterval() refresh interval}, verifying the answer with {@code ROLE}
 * (certainty: a lost event or a reconnecting sentinel cannot leave the application on the old master). Sentinels
 * announced later are followed too, up to a bound, but what they say alone never sends the application to an
 * address it does not know ({@link SentinelTrust}).
 * <p>
 * Every decision is the {@link TopologyCore}'s, which does no I/O; this class is its shell. One thread, the
 * topology thread, feeds the core every input (events, answers, ticks, a connection asking for the master) and
 * carries out its decisions in order, {@link TopologyListener}s included; the I/O goes through a
 * {@link TopologyTransport}, so that replay tests run this very class against a recording.
 * <p>
 * On start it finds the master once. With {@code failFast} a failure stops the application with a
 * {@link MasterDiscoveryException} that says what each sentinel answered; without it the application starts
 * degraded and keeps looking.
 */
public class SentinelTopology implements SmartLifecycle {

	/** Early, so a misconfigured topology fails before web servers and listener containers start. */
	public static final int PHASE = -1000;

	private static final Log logger = LogFactory.getLog(SentinelTopology.class);

	private final MonitorSettings monitor;

	/** How long a discovery may take at most: each sentinel asked, then the master it names. */
	private final Duration discoveryLimit;

	private final TopologyCore core;

	private final Supplier<? extends TopologyTransport> transports;

	private final Supplier<? extends List<TopologyListener>> listenerBeans;

	private final AtomicBoolean reconcileQueued = new AtomicBoolean();

	private volatile List<TopologyListener> listeners = List.of();

	private volatile @Nullable TopologyTransport transport;

	private volatile @Nullable DecisionRunner runner;

	private final SentinelSettings settings;

	private volatile boolean running;

	private volatile boolean stopped;

	/**
	 * Create a new instance with listeners.
	 * @param connector opens the connections to the sentinels and data nodes
	 * @param monitor how to follow the sentinels
	 * @param failFast whether a failed discovery on start stops the application
	 * @param clock the clock for event and failover times
	 * @param listeners the listeners, in the order they are told, taken once when the topology starts (the
	 * listener beans, which may need the topology themselves)
	 */
	public SentinelTopology(SentinelConnector connector, MonitorSettings monitor, boolean failFast, Clock clock,
			Supplier<? extends List<TopologyListener>> listeners) {
		this(connector.getSettings(), monitor, failFast,
				() -> new LettuceTopologyTransport(new MasterDiscovery(connector), connector, clock), listeners);
	}

	SentinelTopology(SentinelSettings settings, MonitorSettings monitor, boolean failFast,
			Supplier<? extends TopologyTransport> transports, Supplier<? extends List<TopologyListener>> listeners) {
		this.settings = settings;
		this.monitor = monitor;
		this.discoveryLimit = settings.timeout().multipliedBy(4L * settings.sentinels().size() + 1);
		this.core = new TopologyCore(settings.masterName(), settings.sentinels(), monitor, failFast,
				new AnnouncedAddresses(settings.addressMap()));
		this.transports = transports;
		this.listenerBeans = listeners;
	}

	/**
	 * Return the name the sentinels monitor the master under.
	 * @return the master name
	 */
	public String getMasterName() {
		return this.settings.masterName();
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
	 * the master it follows, at once; otherwise the topology thread finds it (asking the sentinels again, as the
	 * sentinel client rules ask, unless a verification finished moments ago) and the caller waits, at most as long
	 * as a discovery may take. A Netty event-loop thread never waits: it gets the last verified master, or a
	 * failure, and the discovery is queued. When no sentinel can be reached, the last verified master is used.
	 * @return the master address
	 * @throws MasterDiscoveryException when no master can be found and none was known
	 */
	public NodeAddress masterForNewConnection() {
		MasterRoute route = this.core.route();
		TopologyTransport current = this.stopped ? null : transport();
		if (current == null) {
			return orNoMaster(route.master(), "the topology is stopped");
		}
		boolean held = route.heldAt(current.now());
		NodeAddress usable = route.usableAt(current.now());
		if (usable != null && !held) {
			return usable;
		}
		if (current.inTopologyThread() || current.mustNotWait()) {
			// While held, the connection layer closes a connection to the old master as soon as it is open, before
			// anything is sent (a failure here would make Lettuce reconnect to its last address all the same).
			current.execute(() -> runner().carryOut(this.core.masterWanted(current.now())));
			return orNoMaster(route.master(), "it is being looked for (asked on a thread that must not wait)");
		}
		CompletableFuture<NodeAddress> answer = new CompletableFuture<>();
		current.execute(() -> runner().waitForMaster(answer));
		try {
			return current.await(answer, this.discoveryLimit);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new CompletionException(ex.getCause());
		}
		catch (TimeoutException | InterruptedException ex) {
			interruptAgain(ex);
			return orNoMaster(route.master(), "no answer within " + this.discoveryLimit.toMillis() + "ms");
		}
	}

	private NodeAddress orNoMaster(@Nullable NodeAddress last, String why) {
		if (last == null) {
			throw new RedisConnectionException("No master of '" + this.settings.masterName() + "' is known: " + why);
		}
		return last;
	}

	/**
	 * Return whether new connections to the master wait for a replica a sentinel is promoting
	 * ({@link PromotionAnnouncedEvent}): a connection opened meanwhile must be closed before it is used.
	 * @return whether connections are held now
	 */
	public boolean isHoldingConnections() {
		TopologyTransport current = this.stopped ? null : this.transport;
		return current != null && this.core.route().heldAt(current.now());
	}

	/**
	 * Check with the sentinels soon, instead of at the next refresh: for example after a server answered
	 * {@code READONLY}. Requests made while one is queued are merged. Never blocks.
	 */
	public void requestReconcile() {
		TopologyTransport current = this.transport;
		if (current != null && !this.stopped && this.reconcileQueued.compareAndSet(false, true)) {
			current.execute(() -> {
				this.reconcileQueued.set(false);
				runner().carryOut(this.core.reconcileRequested("asked by the application"));
			});
		}
	}

	private synchronized TopologyTransport transport() {
		TopologyTransport current = this.transport;
		if (current == null) {
			current = this.transports.get();
			this.runner = new DecisionRunner(this.core, current, this.settings, this.monitor, () -> this.listeners);
			this.transport = current;
		}
		return current;
	}

	/** The runner, created with the transport; read on the topology thread only. */
	private DecisionRunner runner() {
		return Objects.requireNonNull(this.runner);
	}

	@Override
	public void start() {
		this.listeners = List.copyOf(this.listenerBeans.get());
		TopologyTransport current = transport();
		CompletableFuture<Void> started = new CompletableFuture<>();
		current.execute(() -> runner().start(started));
		try {
			// The first check completes before start() returns: a started application has a full snapshot.
			current.await(started, this.discoveryLimit.plus(this.settings.timeout().multipliedBy(3)));
		}
		catch (ExecutionException ex) {
			stop();
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new CompletionException(ex.getCause());
		}
		catch (TimeoutException | InterruptedException ex) {
			interruptAgain(ex);
			logger.debug("First check with the sentinels did not complete during start-up");
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.stopped = true;
		TopologyTransport current = this.transport;
		if (current == null) {
			return;
		}
		CompletableFuture<Void> released = new CompletableFuture<>();
		current.execute(() -> {
			runner().release();
			released.complete(null);
		});
		try {
			current.await(released, Duration.ofSeconds(5));
		}
		catch (ExecutionException | TimeoutException | InterruptedException ex) {
			interruptAgain(ex);
			logger.debug("The topology thread did not release its connections in time", ex);
		}
		current.close();
	}

	private static void interruptAgain(Exception ex) {
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
