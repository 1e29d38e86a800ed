package dev.haredis.topology;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;

import dev.haredis.topology.SentinelSettings.Credentials;

/**
 * Opens the topology's own connections: short-lived ones to ask a sentinel or check a server's role, and
 * long-lived ones to follow a sentinel (its events and its view of the master). None of them carries application
 * traffic, and none shares a connection with the application's connection factories.
 */
public class SentinelConnector implements AutoCloseable {

	private final SentinelSettings settings;

	private final AnnouncedAddresses addresses;

	private final RedisClient sentinels;

	private final RedisClient dataNodes;

	private final RedisClient longLived;

	/**
	 * Create a new instance for sentinels and data nodes reached with the same client options; no connection is
	 * made yet.
	 * @param resources the shared client resources
	 * @param options client options (TLS, socket options) to start from
	 * @param settings the topology settings
	 */
	public SentinelConnector(ClientResources resources, ClientOptions options, SentinelSettings settings) {
		this(resources, options, options, settings);
	}

	/**
	 * Create a new instance; no connection is made yet.
	 * @param resources the shared client resources
	 * @param sentinelOptions client options (TLS, socket options) to start from for the sentinels
	 * @param dataOptions client options (TLS, socket options) to start from for the data nodes
	 * @param settings the topology settings
	 */
	public SentinelConnector(ClientResources resources, ClientOptions sentinelOptions, ClientOptions dataOptions,
			SentinelSettings settings) {
		this.settings = settings;
		this.addresses = new AnnouncedAddresses(settings.addressMap(), new ConcurrentHashMap<>());
		this.sentinels = shortLived(resources, sentinelOptions, settings);
		this.dataNodes = shortLived(resources, dataOptions, settings);
		// Followed sentinels reconnect (and resubscribe) by themselves; a query to one that is down fails at once.
		this.longLived = RedisClient.create(resources);
		this.longLived.setOptions(withTimeouts(sentinelOptions, settings).autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
	}

	private static RedisClient shortLived(ClientResources resources, ClientOptions options,
			SentinelSettings settings) {
		RedisClient client = RedisClient.create(resources);
		client.setOptions(withTimeouts(options, settings).autoReconnect(false).build());
		return client;
	}

	/**
	 * Connect within the settings' timeout. A plain-text port never answers a TLS handshake: the handshake gives up
	 * first (after three quarters of the timeout), so that the failure reads as TLS, not as an unreachable server.
	 */
	private static ClientOptions.Builder withTimeouts(ClientOptions options, SentinelSettings settings) {
		return options.mutate()
			.socketOptions(options.getSocketOptions().mutate().connectTimeout(settings.timeout()).build())
			.sslOptions(options.getSslOptions()
				.mutate()
				.handshakeTimeout(settings.timeout().multipliedBy(3).dividedBy(4))
				.build());
	}

	/**
	 * Return the topology settings.
	 * @return the settings
	 */
	public SentinelSettings getSettings() {
		return this.settings;
	}

	NodeAddress reachable(NodeAddress announced) {
		return this.addresses.reachable(announced);
	}

	String describe(NodeAddress address) {
		return this.addresses.describe(address);
	}

	StatefulRedisSentinelConnection<String, String> connectSentinel(NodeAddress sentinel) {
		return within(this.sentinels.connectSentinelAsync(StringCodec.UTF8, sentinelUri(sentinel)), sentinel,
				this.settings.timeout());
	}

	StatefulRedisConnection<String, String> connectDataNode(NodeAddress node) {
		return connectDataNode(node, this.settings.timeout());
	}

	StatefulRedisConnection<String, String> connectDataNode(NodeAddress node, Duration timeout) {
		return connectDataNode(node, this.settings.database(), timeout);
	}

	/**
	 * Connect to a data node in another database than the configured one: database 0 always exists, and selecting
	 * the configured one there tells why a connection to it fails.
	 */
	StatefulRedisConnection<String, String> connectDataNode(NodeAddress node, int database, Duration timeout) {
		return within(this.dataNodes
			.connectAsync(StringCodec.UTF8,
					uri(node, this.settings.dataCredentials(), database, this.settings.dataSsl()))
			.toCompletableFuture(), node, timeout);
	}

	/**
	 * Connect to a data node without blocking; the connection fails when it is not open within the timeout (and is
	 * closed if it opens later).
	 */
	CompletableFuture<StatefulRedisConnection<String, String>> connectDataNodeAsync(NodeAddress node, Duration timeout) {
		CompletableFuture<StatefulRedisConnection<String, String>> connecting = this.dataNodes
			.connectAsync(StringCodec.UTF8,
					uri(node, this.settings.dataCredentials(), this.settings.database(), this.settings.dataSsl()))
			.toCompletableFuture();
		return bounded(connecting, timeout, StatefulConnection::closeAsync,
				() -> new RedisConnectionException("Could not connect to " + node + " within " + timeout.toMillis() + "ms"));
	}

	/**
	 * Bound a future by a timeout, with a failure that says what did not answer; a result that comes too late is
	 * released.
	 */
	static <T> CompletableFuture<T> bounded(CompletableFuture<T> pending, Duration timeout,
			java.util.function.Consumer<T> release, java.util.function.Supplier<RuntimeException> timedOut) {
		CompletableFuture<T> bounded = new CompletableFuture<>();
		pending.whenComplete((result, failure) -> {
			if (failure != null) {
				bounded.completeExceptionally(failure);
			}
			else if (!bounded.complete(result)) {
				release.accept(result);
			}
		});
		if (!bounded.isDone()) {
			CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
				.execute(() -> bounded.completeExceptionally(timedOut.get()));
		}
		return bounded;
	}

	/**
	 * Wait for a connection no longer than the timeout: the connect timeout alone does not bound name resolution,
	 * and one unresolvable sentinel must not stall the others.
	 */
	private <C extends StatefulConnection<?, ?>> C within(CompletableFuture<C> connecting, NodeAddress node,
			Duration timeout) {
		try {
			return connecting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			connecting.thenAccept(StatefulConnection::closeAsync);
			throw new RedisConnectionException("Could not connect to " + node + " within " + timeout.toMillis() + "ms",
					ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new RedisConnectionException("Could not connect to " + node, ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisConnectionException("Interrupted while connecting to " + node, ex);
		}
	}

	CompletableFuture<StatefulRedisSentinelConnection<String, String>> followSentinel(NodeAddress sentinel) {
		return this.longLived.connectSentinelAsync(StringCodec.UTF8, sentinelUri(sentinel));
	}

	CompletableFuture<StatefulRedisPubSubConnection<String, String>> subscribeToSentinel(NodeAddress sentinel) {
		return this.longLived.connectPubSubAsync(StringCodec.UTF8, sentinelUri(sentinel)).toCompletableFuture();
	}

	private RedisURI sentinelUri(NodeAddress sentinel) {
		return uri(sentinel, this.settings.sentinelCredentials(), 0, this.settings.sentinelSsl());
	}

	/**
	 * A URI whose TLS verifies the peer fully, certificate chain and host name, as Lettuce does by default.
	 */
	private RedisURI uri(NodeAddress node, Credentials credentials, int database, boolean ssl) {
		RedisURI.Builder builder = RedisURI.builder()
			.withHost(node.host())
			.withPort(node.port())
			.withSsl(ssl)
			.withVerifyPeer(SslVerifyMode.FULL)
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

	/**
	 * Release its clients (not the shared resources).
	 */
	@Override
	public void close() {
		this.sentinels.shutdown();
		this.dataNodes.shutdown();
		this.longLived.shutdown();
	}

}
