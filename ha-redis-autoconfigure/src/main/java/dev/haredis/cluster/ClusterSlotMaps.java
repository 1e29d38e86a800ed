package dev.haredis.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.topology.NodeAddress;

/**
 * The slot maps the cluster clients get from the monitor: built from its merged view on the nodes as Lettuce read
 * them (ids, flags, connection settings), given to the attached clients on a reload and to the clients waiting for
 * one. Touched on the monitor thread only, but for the list of clients, attached and detached on any thread.
 */
final class ClusterSlotMaps {

	// The monitor's category, as before the split: logging settings that name it keep working.
	private static final Log logger = LogFactory.getLog(ClusterMonitor.class);

	private final List<HaRedisClusterClient> clients;

	private final List<CompletableFuture<List<RedisClusterNode>>> waiters = new ArrayList<>();

	private Map<NodeAddress, RedisClusterNode> nodes = Map.of();

	/**
	 * Serve these clients.
	 * @param clients the clients whose slot map is kept, attached and detached on any thread
	 */
	ClusterSlotMaps(List<HaRedisClusterClient> clients) {
		this.clients = clients;
	}

	/**
	 * Node details accumulate over answers (a late or partial answer does not lose a node), for the nodes the
	 * monitor still knows.
	 * @param read the nodes Lettuce read from an answer
	 * @param known the nodes the monitor knows
	 */
	void learn(List<RedisClusterNode> read, Set<NodeAddress> known) {
		Map<NodeAddress, RedisClusterNode> nodes = new LinkedHashMap<>(this.nodes);
		nodes.putAll(ClusterPartitions.byAddress(read));
		nodes.keySet().retainAll(known);
		this.nodes = nodes;
	}

	/**
	 * A client wants the next slot map.
	 * @param waiter completed by the next {@link #answerWaiters answer}
	 */
	void waitFor(CompletableFuture<List<RedisClusterNode>> waiter) {
		this.waiters.add(waiter);
	}

	/**
	 * Give every attached client the slot map of the view; a client that fails to take it does not stop the others.
	 * @param view the monitor's merged view, or {@code null} before any node answered
	 */
	void reload(@Nullable ClusterView view) {
		if (view == null) {
			return;
		}
		List<RedisClusterNode> slotMap = ClusterPartitions.of(view, this.nodes);
		for (HaRedisClusterClient client : this.clients) {
			try {
				client.apply(slotMap);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not give a cluster client its new slot map", ex);
			}
		}
	}

	/**
	 * Answer the waiting clients.
	 * @param view the view whose slot map they get, or {@code null} when no node answered: they get a failure
	 * @param failures why each seed did not answer, for that failure
	 */
	void answerWaiters(@Nullable ClusterView view, Supplier<List<String>> failures) {
		List<CompletableFuture<List<RedisClusterNode>>> answered = List.copyOf(this.waiters);
		this.waiters.clear();
		if (view != null) {
			List<RedisClusterNode> slotMap = ClusterPartitions.of(view, this.nodes);
			answered.forEach((waiter) -> waiter.complete(slotMap));
		}
		else {
			RedisConnectionException failure = new RedisConnectionException(
					"No cluster node answered CLUSTER NODES: " + String.join("; ", failures.get()));
			answered.forEach((waiter) -> waiter.completeExceptionally(failure));
		}
	}

	/** The monitor stops: whoever still waits is answered. */
	void release() {
		RedisConnectionException stopped = new RedisConnectionException("The ha-redis cluster monitor stopped");
		this.waiters.forEach((waiter) -> waiter.completeExceptionally(stopped));
		this.waiters.clear();
	}

}
