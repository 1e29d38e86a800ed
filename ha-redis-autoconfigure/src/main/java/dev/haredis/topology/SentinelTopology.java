package dev.haredis.topology;

import java.time.Duration;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The application's single view of where the master is. Connection factories route through it, so that every
 * connection and reconnection goes to the role-verified master.
 * <p>
 * On start it discovers the master once. With {@code failFast} (the default) a failure stops the application with
 * a {@link MasterDiscoveryException} that says what each sentinel answered; without it the application starts
 * degraded and discovery is retried whenever a connection is needed.
 */
public class SentinelTopology implements SmartLifecycle {

	/** Early, so a misconfigured topology fails before web servers and listener containers start. */
	public static final int PHASE = -1000;

	private static final Log logger = LogFactory.getLog(SentinelTopology.class);

	private final MasterDiscovery discovery;

	private final boolean failFast;

	/** Connections opened this soon after a verification reuse it instead of asking the sentinels again. */
	private static final long REUSE_VERIFICATION_NANOS = Duration.ofMillis(250).toNanos();

	private volatile @Nullable DiscoveredMaster master;

	private volatile long verifiedAt;

	private volatile boolean running;

	/** Whether the current outage was logged already: one warning per outage, not one per reconnect attempt. */
	private volatile boolean outageLogged;

	/**
	 * Create a new instance.
	 * @param discovery how to find the master
	 * @param failFast whether a failed discovery on start stops the application
	 */
	public SentinelTopology(MasterDiscovery discovery, boolean failFast) {
		this.discovery = discovery;
		this.failFast = failFast;
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
	 * Return the master a new connection (or a reconnection) should go to. As the sentinel client rules ask, the
	 * sentinels are asked again, unless a verification finished moments ago (a burst of reconnections after a
	 * failover then costs one discovery). If no sentinel can be reached, the last verified master is used.
	 * @return the master address
	 * @throws MasterDiscoveryException when no master can be found and none was known
	 */
	public NodeAddress masterForNewConnection() {
		DiscoveredMaster current = this.master;
		if (current != null && System.nanoTime() - this.verifiedAt < REUSE_VERIFICATION_NANOS) {
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
	public synchronized DiscoveredMaster refresh() {
		DiscoveredMaster discovered = this.discovery.discover();
		DiscoveredMaster previous = this.master;
		this.master = discovered;
		this.verifiedAt = System.nanoTime();
		this.outageLogged = false;
		if (previous == null || !previous.address().equals(discovered.address())) {
			logger.info("Master '" + getMasterName() + "' is at " + discovered.address() + " (named by sentinel "
					+ discovered.sentinel() + ", role verified)");
		}
		return discovered;
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
			logger.warn("Starting without a master (ha.redis.fail-fast=false); will retry on the next connection: "
					+ ex.getMessage());
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
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
