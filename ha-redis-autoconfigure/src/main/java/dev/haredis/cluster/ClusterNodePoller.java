package dev.haredis.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;

import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * The cluster monitor's I/O: asks one node for {@code CLUSTER NODES}, or a master for {@code INFO replication}, over
 * a connection of its own per node, kept open between questions and closed when one fails, so an answer never waits
 * behind the application's commands.
 */
final class ClusterNodePoller implements AutoCloseable {

	private final RedisClient client;

	private final RedisURI template;

	private final Duration timeout;

	private final AddressMap addressMap;

	private final Map<NodeAddress, CompletableFuture<StatefulRedisConnection<String, String>>> connections = new ConcurrentHashMap<>();

	/**
	 * Create a poller.
	 * @param resources the application's Lettuce resources
	 * @param options the client options (socket, TLS)
	 * @param template credentials and TLS of the data nodes; its host and port are not used
	 * @param timeout how long a poll, connecting included, may take
	 * @param addressMap maps announced addresses to reachable ones
	 */
	ClusterNodePoller(ClientResources resources, ClientOptions options, RedisURI template, Duration timeout,
			AddressMap addressMap) {
		this.client = RedisClient.create(resources);
		this.client.setOptions(options.mutate().autoReconnect(false).build());
		this.template = template;
		this.timeout = timeout;
		this.addressMap = addressMap;
	}

	/**
	 * Ask a node for {@code CLUSTER NODES}.
	 * @param node the node
	 * @return its answer, or a failure after the timeout at most
	 */
	CompletableFuture<String> clusterNodes(NodeAddress node) {
		return ask(node, (commands) -> commands.clusterNodes());
	}

	/**
	 * Ask a master for {@code INFO replication}: its offset and its replicas'.
	 * @param master the master
	 * @return its answer, or a failure after the timeout at most
	 */
	CompletableFuture<String> replicationInfo(NodeAddress master) {
		return ask(master, (commands) -> commands.info("replication"));
	}

	private CompletableFuture<String> ask(NodeAddress node,
			Function<RedisAsyncCommands<String, String>, RedisFuture<String>> command) {
		CompletableFuture<StatefulRedisConnection<String, String>> connection = this.connections.computeIfAbsent(node,
				(address) -> this.client.connectAsync(StringCodec.UTF8, uri(this.addressMap.map(address)))
					.toCompletableFuture());
		return connection.thenCompose((open) -> command.apply(open.async()).toCompletableFuture())
			.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((answer, failure) -> {
				if (failure != null) {
					close(node, connection);
				}
			});
	}

	/**
	 * Return the address a node is reached at, with the data nodes' credentials and TLS.
	 * @param node the node
	 * @return its URI
	 */
	RedisURI uri(NodeAddress node) {
		RedisURI uri = RedisURI.create(node.host(), node.port());
		uri.applyAuthentication(this.template);
		uri.applySsl(this.template);
		uri.setTimeout(this.timeout);
		return uri;
	}

	/**
	 * Close the connections to the nodes the monitor no longer knows.
	 * @param nodes the nodes it knows
	 */
	void retain(Set<NodeAddress> nodes) {
		this.connections.forEach((node, connection) -> {
			if (!nodes.contains(node)) {
				close(node, connection);
			}
		});
	}

	private void close(NodeAddress node, CompletableFuture<StatefulRedisConnection<String, String>> connection) {
		if (this.connections.remove(node, connection)) {
			connection.thenAccept(StatefulRedisConnection::closeAsync);
		}
	}

	@Override
	public void close() {
		this.connections.forEach(this::close);
		this.client.shutdown(Duration.ZERO, this.timeout);
	}

}
