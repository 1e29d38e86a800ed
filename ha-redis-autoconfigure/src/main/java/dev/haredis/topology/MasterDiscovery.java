package dev.haredis.topology;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.netty.channel.ConnectTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.SentinelSettings.Credentials;

/**
 * Finds the master the way the Redis sentinel client rules describe: ask the sentinels in turn with a short
 * timeout, skip one that cannot be reached or does not know the master, and verify with {@code ROLE} that the
 * address a sentinel names really is a master before using it, so that a stale sentinel never sends writes to a
 * replica. The sentinel that answered moves to the front of the list for the next time.
 */
public class MasterDiscovery implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(MasterDiscovery.class);

	private final RedisClient client;

	private final SentinelSettings settings;

	private volatile List<NodeAddress> sentinels;

	/**
	 * Create a new instance; no connection is made until {@link #discover()}.
	 * @param resources the shared client resources
	 * @param options client options (TLS, socket options); reconnection is switched off, since every sentinel and
	 * role-check connection is short-lived
	 * @param settings the topology settings
	 */
	public MasterDiscovery(ClientResources resources, ClientOptions options, SentinelSettings settings) {
		this.client = RedisClient.create(resources);
		this.client.setOptions(options.mutate()
			.autoReconnect(false)
			.socketOptions(SocketOptions.builder()
				.connectTimeout(settings.timeout())
				.keepAlive(options.getSocketOptions().isKeepAlive())
				.build())
			.build());
		this.settings = settings;
		this.sentinels = settings.sentinels();
	}

	/**
	 * Return the settings this discovery uses.
	 * @return the settings
	 */
	public SentinelSettings getSettings() {
		return this.settings;
	}

	/**
	 * Ask the sentinels in turn for the master and verify it.
	 * @return the verified master
	 * @throws MasterDiscoveryException when no sentinel named a usable master, with what each one answered
	 */
	public DiscoveredMaster discover() {
		List<NodeAddress> order = this.sentinels;
		List<DiscoveryAttempt> attempts = new ArrayList<>();
		Set<String> knownMasterNames = new LinkedHashSet<>();
		for (NodeAddress sentinel : order) {
			DiscoveryAttempt failure = null;
			NodeAddress master = null;
			try {
				master = askSentinel(sentinel, knownMasterNames);
			}
			catch (RuntimeException ex) {
				failure = sentinelFailure(sentinel, ex);
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
		RedisURI uri = uri(sentinel, this.settings.sentinelCredentials(), 0);
		try (StatefulRedisSentinelConnection<String, String> connection = this.client.connectSentinel(uri)) {
			SocketAddress address = connection.sync().getMasterAddrByName(this.settings.masterName());
			if (address instanceof InetSocketAddress inet) {
				return new NodeAddress(inet.getHostString(), inet.getPort());
			}
			for (Map<String, String> master : connection.sync().masters()) {
				knownMasterNames.add(master.get("name"));
			}
			return null;
		}
	}

	private @Nullable DiscoveryAttempt verifyMaster(NodeAddress sentinel, NodeAddress master) {
		RedisURI uri = uri(master, this.settings.dataCredentials(), this.settings.database());
		try (StatefulRedisConnection<String, String> connection = this.client.connect(uri)) {
			List<Object> role = connection.sync().role();
			String reported = role.isEmpty() ? "unknown" : String.valueOf(role.get(0));
			if (!"master".equals(reported)) {
				return new DiscoveryAttempt(sentinel, master, Problem.NOT_A_MASTER, "named " + master
						+ ", which reports role '" + reported + "' (stale sentinel, or a failover in progress)");
			}
			return null;
		}
		catch (RuntimeException ex) {
			return dataFailure(sentinel, master, ex);
		}
	}

	private RedisURI uri(NodeAddress node, Credentials credentials, int database) {
		RedisURI.Builder builder = RedisURI.builder()
			.withHost(node.host())
			.withPort(node.port())
			.withSsl(this.settings.ssl())
			.withDatabase(database)
			.withTimeout(this.settings.timeout());
		if (credentials.password() != null) {
			if (credentials.username() != null) {
				builder.withAuthentication(credentials.username(), credentials.password());
			}
			else {
				builder.withPassword(credentials.password().toCharArray());
			}
		}
		return builder.build();
	}

	private void preferNextTime(List<NodeAddress> order, NodeAddress sentinel) {
		if (!order.get(0).equals(sentinel)) {
			List<NodeAddress> reordered = new ArrayList<>(order.size());
			reordered.add(sentinel);
			order.stream().filter((candidate) -> !candidate.equals(sentinel)).forEach(reordered::add);
			this.sentinels = List.copyOf(reordered);
		}
	}

	private DiscoveryAttempt sentinelFailure(NodeAddress sentinel, Throwable ex) {
		String reason = serverError(ex);
		if (isAuthenticationError(reason)) {
			return new DiscoveryAttempt(sentinel, null, Problem.SENTINEL_AUTHENTICATION,
					"rejected the sentinel credentials: " + reason);
		}
		if (hasCause(ex, SSLException.class)) {
			return new DiscoveryAttempt(sentinel, null, Problem.TLS, "TLS handshake failed: " + reason);
		}
		if (isPlainTextRejected(reason)) {
			return new DiscoveryAttempt(sentinel, null, Problem.TLS,
					"closed the connection before answering; it may serve TLS only (ha.redis.ssl is off)");
		}
		if (hasCause(ex, ConnectException.class)) {
			return new DiscoveryAttempt(sentinel, null, Problem.SENTINEL_REFUSED, "connection refused");
		}
		if (isTimeout(ex)) {
			return new DiscoveryAttempt(sentinel, null, Problem.SENTINEL_TIMEOUT,
					"no answer within " + this.settings.timeout().toMillis() + "ms");
		}
		return new DiscoveryAttempt(sentinel, null, Problem.OTHER, reason);
	}

	private DiscoveryAttempt dataFailure(NodeAddress sentinel, NodeAddress master, Throwable ex) {
		String reason = serverError(ex);
		String named = "named " + master + ", ";
		if (isAuthenticationError(reason)) {
			return new DiscoveryAttempt(sentinel, master, Problem.DATA_AUTHENTICATION,
					named + "which rejected the data-node credentials: " + reason);
		}
		if (reason.contains("DB index is out of range")) {
			return new DiscoveryAttempt(sentinel, master, Problem.DATABASE_OUT_OF_RANGE,
					named + "which rejected database " + this.settings.database() + ": " + reason);
		}
		if (hasCause(ex, SSLException.class)) {
			return new DiscoveryAttempt(sentinel, master, Problem.TLS, named + "whose TLS handshake failed: " + reason);
		}
		if (isPlainTextRejected(reason)) {
			return new DiscoveryAttempt(sentinel, master, Problem.TLS, named
					+ "which closed the connection before answering; it may serve TLS only (ha.redis.ssl is off)");
		}
		if (hasCause(ex, ConnectException.class)) {
			return new DiscoveryAttempt(sentinel, master, Problem.MASTER_UNREACHABLE,
					named + "which refused the connection");
		}
		if (isTimeout(ex)) {
			return new DiscoveryAttempt(sentinel, master, Problem.MASTER_UNREACHABLE,
					named + "which did not answer within " + this.settings.timeout().toMillis() + "ms");
		}
		return new DiscoveryAttempt(sentinel, master, Problem.OTHER, named + "which failed: " + reason);
	}

	/**
	 * Release the client (not the shared resources).
	 */
	@Override
	public void close() {
		this.client.shutdown();
	}

	private static boolean isAuthenticationError(String reason) {
		return reason.startsWith("WRONGPASS") || reason.startsWith("NOAUTH") || reason.startsWith("NOPERM")
				|| reason.startsWith("ERR AUTH") || reason.startsWith("ERR invalid password")
				|| reason.contains("-WRONGPASS") || reason.contains("-NOAUTH");
	}

	/**
	 * A TLS-only port drops a plain-text client before any reply.
	 */
	private boolean isPlainTextRejected(String reason) {
		return !this.settings.ssl()
				&& (reason.contains("Connection reset") || reason.contains("Connection closed prematurely"));
	}

	private static boolean isTimeout(Throwable ex) {
		return hasCause(ex, ConnectTimeoutException.class) || hasCause(ex, RedisCommandTimeoutException.class)
				|| hasCause(ex, TimeoutException.class);
	}

	private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the most specific message in the cause chain: the server's error reply when there is one.
	 */
	private static String serverError(Throwable ex) {
		String message = null;
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (candidate.getMessage() != null) {
				message = candidate.getMessage();
			}
		}
		return (message != null) ? message.lines().findFirst().orElse(message) : ex.getClass().getSimpleName();
	}

}
