package dev.haredis.topology;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLException;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.internal.RedisErrors;
import dev.haredis.topology.DiscoveryAttempt.Problem;

/**
 * Finds the master the way the Redis sentinel client rules describe: ask the sentinels in turn with a short
 * timeout, skip one that cannot be reached or does not know the master, and verify with {@code ROLE} that the
 * address a sentinel names really is a master before using it, so that a stale sentinel never sends writes to a
 * replica. The sentinel that answered moves to the front of the list for the next time.
 */
final class MasterDiscovery {

	private static final Log logger = LogFactory.getLog(MasterDiscovery.class);

	/** A TLS handshake with a plain-text port gets no answer, which may look like a timeout. */
	private static final String PLAIN_TEXT_PORT_HINT = " (TLS is on for it: a plain-text port never answers the "
			+ "TLS handshake)";

	private final SentinelConnector connector;

	private final SentinelSettings settings;

	private volatile List<NodeAddress> sentinels;

	/**
	 * Create a new instance; no connection is made until {@link #discover()}.
	 * @param connector opens the short-lived sentinel and role-check connections
	 */
	MasterDiscovery(SentinelConnector connector) {
		this.connector = connector;
		this.settings = connector.getSettings();
		this.sentinels = this.settings.sentinels();
	}

	/**
	 * Return the settings this discovery uses.
	 * @return the settings
	 */
	SentinelSettings getSettings() {
		return this.settings;
	}

	/**
	 * Ask the sentinels in turn for the master and verify it.
	 * @return the verified master
	 * @throws MasterDiscoveryException when no sentinel named a usable master, with what each one answered
	 */
	DiscoveredMaster discover() {
		List<NodeAddress> order = this.sentinels;
		List<DiscoveryAttempt> attempts = new ArrayList<>();
		Set<String> knownMasterNames = new LinkedHashSet<>();
		for (NodeAddress sentinel : order) {
			DiscoveryAttempt failure = null;
			NodeAddress master = null;
			// An unexplained failure is tried once more: Lettuce can lose a refused handshake's reply in a race
			// ("RedisHandshakeHandler not registered"), and the second answer then says what really happened.
			for (int tries = 1; tries <= 2; tries++) {
				try {
					master = askSentinel(sentinel, knownMasterNames);
					failure = null;
					break;
				}
				catch (RuntimeException ex) {
					failure = sentinelFailure(sentinel, ex);
					if (failure.problem() != Problem.OTHER) {
						break;
					}
				}
			}
			if (master == null && failure == null) {
				failure = new DiscoveryAttempt(sentinel, null, Problem.MASTER_UNKNOWN,
						"does not monitor a master named '" + this.settings.masterName() + "'");
			}
			if (failure == null) {
				failure = verifyMaster(sentinel, master);
				if (failure == null) {
					preferNextTime(order, sentinel);
					return new DiscoveredMaster(master, sentinel, attempts);
				}
			}
			logger.debug("Skipping sentinel: " + failure);
			attempts.add(failure);
			if (failure.problem().isConfigurationProblem()) {
				break;
			}
		}
		throw new MasterDiscoveryException(this.settings.masterName(), attempts, List.copyOf(knownMasterNames));
	}

	private @Nullable NodeAddress askSentinel(NodeAddress sentinel, Set<String> knownMasterNames) {
		try (StatefulRedisSentinelConnection<String, String> connection = this.connector.connectSentinel(sentinel)) {
			SocketAddress address = connection.sync().getMasterAddrByName(this.settings.masterName());
			if (address instanceof InetSocketAddress inet) {
				return this.connector.reachable(new NodeAddress(inet.getHostString(), inet.getPort()));
			}
			for (Map<String, String> master : connection.sync().masters()) {
				knownMasterNames.add(master.get("name"));
			}
			return null;
		}
	}

	private @Nullable DiscoveryAttempt verifyMaster(NodeAddress sentinel, NodeAddress master) {
		DiscoveryAttempt failure = null;
		// As with the sentinels: a refused handshake's reply (a database out of range) can be lost in Lettuce's race
		// ("RedisHandshakeHandler not registered"); the second try says what really happened.
		for (int tries = 1; tries <= 2; tries++) {
			try {
				RoleCheck role = checkRole(master);
				if (!role.isMaster()) {
					return new DiscoveryAttempt(sentinel, master, Problem.NOT_A_MASTER,
							"named " + this.connector.describe(master) + ", which reports role '" + role.role()
									+ "' (stale sentinel, or a failover in progress)");
				}
				return null;
			}
			catch (RuntimeException ex) {
				failure = dataFailure(sentinel, master, ex);
				if (failure.problem() != Problem.OTHER) {
					return failure;
				}
			}
		}
		return (this.settings.database() != 0) ? databaseProblem(sentinel, master, failure) : failure;
	}

	/**
	 * A connection to the configured database failed for no reason Lettuce reported: select that database on a
	 * connection to database 0, whose error names the problem when the database does not exist.
	 */
	private @Nullable DiscoveryAttempt databaseProblem(NodeAddress sentinel, NodeAddress master,
			@Nullable DiscoveryAttempt failure) {
		try (StatefulRedisConnection<String, String> connection = this.connector.connectDataNode(master, 0,
				this.settings.timeout())) {
			connection.sync().select(this.settings.database());
			return failure;
		}
		catch (RuntimeException ex) {
			DiscoveryAttempt selected = dataFailure(sentinel, master, ex);
			return (selected.problem() == Problem.DATABASE_OUT_OF_RANGE) ? selected : failure;
		}
	}

	/**
	 * Ask a data node for its {@code ROLE}, on a new connection with the data-node credentials and database.
	 * @param node the data node
	 * @return what it reports
	 * @throws RuntimeException when it cannot be reached or rejects the connection
	 */
	RoleCheck checkRole(NodeAddress node) {
		try (StatefulRedisConnection<String, String> connection = this.connector.connectDataNode(node)) {
			return RoleCheck.of(node, connection.sync().role());
		}
	}

	private void preferNextTime(List<NodeAddress> order, NodeAddress sentinel) {
		if (!order.get(0).equals(sentinel)) {
			List<NodeAddress> reordered = new ArrayList<>(order.size());
			reordered.add(sentinel);
			order.stream().filter((candidate) -> !candidate.equals(sentinel)).forEach(reordered::add);
			this.sentinels = List.copyOf(reordered);
		}
	}

	// Package-private for tests: the classification is pure logic over the failure.
	DiscoveryAttempt sentinelFailure(NodeAddress sentinel, Throwable ex) {
		String reason = RedisErrors.describe(ex);
		if (RedisErrors.isAuthenticationError(reason)) {
			return new DiscoveryAttempt(sentinel, null, Problem.SENTINEL_AUTHENTICATION,
					"rejected the sentinel credentials: " + reason);
		}
		if (RedisErrors.isHostNameMismatch(ex)) {
			return new DiscoveryAttempt(sentinel, null, Problem.TLS_HOST_MISMATCH,
					"its " + RedisErrors.describeHostNameMismatch(sentinel.host(), ex));
		}
		if (RedisErrors.hasCause(ex, SslHandshakeTimeoutException.class)) {
			return new DiscoveryAttempt(sentinel, null, Problem.TLS,
					"no answer to the TLS handshake; it may serve plain text only (TLS to the sentinels is on)");
		}
		if (RedisErrors.hasCause(ex, SSLException.class)) {
			return new DiscoveryAttempt(sentinel, null, Problem.TLS, "TLS handshake failed: " + reason);
		}
		if (!this.settings.sentinelSsl() && isPlainTextRejected(reason)) {
			return new DiscoveryAttempt(sentinel, null, Problem.TLS,
					"closed the connection before answering; it may serve TLS only (TLS to the sentinels is off)");
		}
		if (RedisErrors.hasCause(ex, ConnectException.class)) {
			return new DiscoveryAttempt(sentinel, null, Problem.SENTINEL_REFUSED, "connection refused");
		}
		if (RedisErrors.hasCause(ex, UnknownHostException.class)) {
			return new DiscoveryAttempt(sentinel, null, Problem.SENTINEL_REFUSED,
					"host '" + sentinel.host() + "' cannot be resolved");
		}
		if (RedisErrors.isTimeout(ex)) {
			return new DiscoveryAttempt(sentinel, null, Problem.SENTINEL_TIMEOUT,
					"no answer within " + this.settings.timeout().toMillis() + "ms"
							+ (this.settings.sentinelSsl() ? PLAIN_TEXT_PORT_HINT : ""));
		}
		return new DiscoveryAttempt(sentinel, null, Problem.OTHER, reason);
	}

	// Package-private for tests, as sentinelFailure.
	DiscoveryAttempt dataFailure(NodeAddress sentinel, NodeAddress master, Throwable ex) {
		String reason = RedisErrors.describe(ex);
		String named = "named " + this.connector.describe(master) + ", ";
		if (RedisErrors.isAuthenticationError(reason)) {
			return new DiscoveryAttempt(sentinel, master, Problem.DATA_AUTHENTICATION,
					named + "which rejected the data-node credentials: " + reason);
		}
		if (RedisErrors.isDatabaseOutOfRange(reason)) {
			return new DiscoveryAttempt(sentinel, master, Problem.DATABASE_OUT_OF_RANGE,
					named + "which rejected database " + this.settings.database() + ": " + reason);
		}
		if (RedisErrors.isHostNameMismatch(ex)) {
			return new DiscoveryAttempt(sentinel, master, Problem.TLS_HOST_MISMATCH,
					named + "whose " + RedisErrors.describeHostNameMismatch(master.host(), ex));
		}
		if (RedisErrors.hasCause(ex, SslHandshakeTimeoutException.class)) {
			return new DiscoveryAttempt(sentinel, master, Problem.TLS, named
					+ "which did not answer the TLS handshake; it may serve plain text only (ha.redis.ssl is on)");
		}
		if (RedisErrors.hasCause(ex, SSLException.class)) {
			return new DiscoveryAttempt(sentinel, master, Problem.TLS, named + "whose TLS handshake failed: " + reason);
		}
		if (RedisErrors.hasCause(ex, UnknownHostException.class)) {
			// Sentinels announcing host names (announce-hostnames) valid only on their side of a NAT.
			return new DiscoveryAttempt(sentinel, master, Problem.MASTER_UNREACHABLE,
					named + "whose host cannot be resolved");
		}
		if (!this.settings.dataSsl() && isPlainTextRejected(reason)) {
			return new DiscoveryAttempt(sentinel, master, Problem.TLS, named
					+ "which closed the connection before answering; it may serve TLS only (ha.redis.ssl is off), "
					+ "or a port forwarder has nothing behind it");
		}
		if (RedisErrors.hasCause(ex, ConnectException.class)) {
			return new DiscoveryAttempt(sentinel, master, Problem.MASTER_UNREACHABLE,
					named + "which refused the connection");
		}
		if (RedisErrors.isTimeout(ex)) {
			return new DiscoveryAttempt(sentinel, master, Problem.MASTER_UNREACHABLE,
					named + "which did not answer within " + this.settings.timeout().toMillis() + "ms"
							+ (this.settings.dataSsl() ? PLAIN_TEXT_PORT_HINT : ""));
		}
		return new DiscoveryAttempt(sentinel, master, Problem.OTHER, named + "which failed: " + reason);
	}

	/**
	 * A TLS-only port drops a plain-text client before any reply.
	 */
	private static boolean isPlainTextRejected(String reason) {
		return reason.contains("Connection reset") || reason.contains("Connection closed prematurely");
	}

}
