package dev.haredis.autoconfigure.purpose;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;

import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.internal.RedisErrors;
import dev.haredis.topology.SentinelTopology;

/**
 * Checks the purposes' connection factories at startup, right after the topology found the master: warns when two
 * of them may write the same keys, and connects with each purpose that has its own database or credentials so
 * that a wrong one fails the startup naming its property instead of failing the first request.
 */
class ConnectionPurposeCheck implements SmartLifecycle {

	/**
	 * Right after the topology ({@link SentinelTopology#PHASE}, as the cluster monitor's), before the application's
	 * own lifecycle beans.
	 */
	static final int PHASE = SentinelTopology.PHASE + 1;

	/**
	 * How often to connect when the handshake is cut short before the server's error is known.
	 */
	private static final int HANDSHAKE_ATTEMPTS = 3;

	private static final Log logger = LogFactory.getLog(ConnectionPurposeCheck.class);

	private final ConnectionPurposes purposes;

	private final BooleanSupplier topologyKnown;

	private final boolean failFast;

	/**
	 * Create a new instance.
	 * @param purposes the purposes
	 * @param topologyKnown whether the topology knows where to connect (a master found, a cluster's slots
	 * learned): otherwise a failed connection says nothing of the purpose's settings
	 * @param failFast whether to connect at startup
	 */
	ConnectionPurposeCheck(ConnectionPurposes purposes, BooleanSupplier topologyKnown, boolean failFast) {
		this.purposes = purposes;
		this.topologyKnown = topologyKnown;
		this.failFast = failFast;
	}

	private volatile boolean running;

	@Override
	public void start() {
		this.running = true;
		List<ConnectionPurpose> purposes = this.purposes.all();
		warnAboutCollisions(purposes);
		if (this.failFast && this.topologyKnown.getAsBoolean()) {
			purposes.stream().filter(ConnectionPurpose::ownConnectionSettings).forEach(this::connect);
		}
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

	static List<String> collisions(List<ConnectionPurpose> purposes) {
		List<String> warnings = new ArrayList<>();
		for (int i = 0; i < purposes.size(); i++) {
			for (int j = i + 1; j < purposes.size(); j++) {
				ConnectionPurpose first = purposes.get(i);
				ConnectionPurpose second = purposes.get(j);
				if (first.mayCollideWith(second)) {
					warnings.add("ha.redis." + first.name() + " and ha.redis." + second.name() + " both write to database "
							+ first.database() + ((first.keyPrefix() != null)
									? " with the key prefix '" + first.keyPrefix() + "'" : " without a key prefix")
							+ ": their keys may collide. Set a different ha.redis." + second.name()
							+ ".key-prefix (or, on Sentinel, ha.redis." + second.name() + ".database)");
				}
			}
		}
		return warnings;
	}

	private void warnAboutCollisions(List<ConnectionPurpose> purposes) {
		collisions(purposes).forEach(logger::warn);
	}

	private void connect(ConnectionPurpose purpose) {
		String prefix = "ha.redis." + purpose.name();
		String reason = ping(purpose);
		for (int attempt = 2; attempt <= HANDSHAKE_ATTEMPTS && reason != null && closedInHandshake(reason); attempt++) {
			reason = ping(purpose);
		}
		if (reason != null) {
			if (RedisErrors.isDatabaseOutOfRange(reason)) {
				throw new HaRedisConfigurationException(prefix + ".database",
						"Redis rejected database " + purpose.database() + " (" + reason + ")",
						"Use a database below the 'databases' setting of the servers (16 by default), or a key prefix "
								+ "in " + prefix + ".key-prefix instead");
			}
			if (RedisErrors.isAuthenticationError(reason)) {
				throw new HaRedisConfigurationException(prefix + ".username / " + prefix + ".password",
						"Redis rejected the credentials of " + prefix + " (" + reason + ")",
						"Set the credentials of an ACL user that may use this purpose's commands, or remove them to use "
								+ "ha.redis.username and ha.redis.password");
			}
			// Anything else (the master went away a moment ago) is for the topology to handle, not the startup.
			logger.warn("Could not check the connection settings of " + prefix + ": " + reason);
		}
	}

	/**
	 * Connect with the purpose's factory and ping.
	 * @return why that failed, or {@code null} when it did not
	 */
	private static @Nullable String ping(ConnectionPurpose purpose) {
		try (RedisConnection connection = purpose.factory().getConnection()) {
			connection.ping();
			return null;
		}
		catch (RuntimeException ex) {
			return RedisErrors.describe(ex);
		}
	}

	/**
	 * Whether the connection closed while Lettuce was still setting it up: a refused SELECT or AUTH in its
	 * handshake is sometimes reported that way ("Connection closed prematurely", or "RedisHandshakeHandler not
	 * registered" when the close wins the race with the handshake, as discovery sees too) instead of with the
	 * server's error, so the check tries again.
	 */
	private static boolean closedInHandshake(String reason) {
		return reason.contains("Connection closed prematurely") || reason.contains("RedisHandshakeHandler not registered");
	}

}
