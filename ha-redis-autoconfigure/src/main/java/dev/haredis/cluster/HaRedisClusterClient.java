package dev.haredis.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterPushHandler;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.StatefulRedisClusterConnectionImpl;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.json.JsonParser;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

/**
 * A Lettuce cluster client whose slot map comes from the {@link ClusterMonitor}: each refresh Lettuce starts (a
 * redirection, an uncovered slot, an unknown node, reconnects) becomes one poll of the monitor, never a
 * {@code CLUSTER NODES} sent to every node, and the monitor pushes every change it sees at once. Until the monitor
 * has a view, Lettuce reads the slot map itself from the seeds.
 */
public class HaRedisClusterClient extends RedisClusterClient {

	private final SlotSource slots;

	private final Duration retryWhileDown;

	private volatile boolean loaded;

	/**
	 * Create a client.
	 * @param resources the Lettuce resources
	 * @param seeds the seed nodes
	 * @param slots where the slot map comes from
	 * @param retryWhileDown how long a command the cluster refuses for a moment ({@code CLUSTERDOWN},
	 * {@code TRYAGAIN}) is sent again; zero sends it once
	 */
	public HaRedisClusterClient(@Nullable ClientResources resources, Iterable<RedisURI> seeds, SlotSource slots,
			Duration retryWhileDown) {
		super(resources, seeds);
		this.slots = slots;
		this.retryWhileDown = retryWhileDown;
		slots.attach(this);
	}

	@Override
	protected CompletableFuture<Partitions> initializePartitions() {
		return super.initializePartitions().thenApply((partitions) -> {
			this.loaded = true;
			return partitions;
		});
	}

	@Override
	protected CompletableFuture<Partitions> loadPartitionsAsync() {
		if (!this.slots.isReady()) {
			return super.loadPartitionsAsync();
		}
		return this.slots.freshNodes().thenApply((nodes) -> partitions(kept(nodes)));
	}

	@Override
	protected <V, K> StatefulRedisClusterConnectionImpl<K, V> newStatefulRedisClusterConnection(
			RedisChannelWriter channelWriter, ClusterPushHandler pushHandler, RedisCodec<K, V> codec, Duration timeout,
			Supplier<JsonParser> parser) {
		return new HaRedisClusterConnection<>(channelWriter, pushHandler, codec, timeout, parser, this.retryWhileDown);
	}

	/**
	 * Use a new slot map in this client and all its connections.
	 * @param nodes the nodes of the slot map
	 */
	void apply(List<RedisClusterNode> nodes) {
		Partitions current = getPartitionsIfLoaded();
		if (current == null) {
			return;
		}
		current.reload(kept(nodes));
		updatePartitionsInConnections();
	}

	@Override
	public CompletableFuture<Void> shutdownAsync(long quietPeriod, long timeout, TimeUnit unit) {
		this.slots.detach(this);
		return super.shutdownAsync(quietPeriod, timeout, unit);
	}

	private @Nullable Partitions getPartitionsIfLoaded() {
		// getPartitions() would load them when not loaded yet: that is the first connection's job.
		return this.loaded ? getPartitions() : null;
	}

	/**
	 * Return copies of the nodes the application's node filter ({@link ClusterClientOptions#getNodeFilter()})
	 * keeps, as Lettuce's own refresh would.
	 */
	private List<RedisClusterNode> kept(List<RedisClusterNode> nodes) {
		Predicate<RedisClusterNode> filter = (getOptions() instanceof ClusterClientOptions options)
				? options.getNodeFilter() : ClusterClientOptions.DEFAULT_NODE_FILTER;
		return nodes.stream().filter(filter).map(RedisClusterNode::new).toList();
	}

	private static Partitions partitions(List<RedisClusterNode> nodes) {
		Partitions partitions = new Partitions();
		partitions.addAll(nodes);
		partitions.updateCache();
		return partitions;
	}

	/**
	 * Where a client's slot map comes from: the {@link ClusterMonitor}.
	 */
	public interface SlotSource {

		/**
		 * Return whether a view is there to serve.
		 * @return whether the monitor has a view
		 */
		boolean isReady();

		/**
		 * Return the nodes of the slot map after a poll that starts now.
		 * @return the nodes, or a failure when no node answered
		 */
		CompletableFuture<List<RedisClusterNode>> freshNodes();

		/**
		 * Push every new slot map to this client from now on.
		 * @param client the client
		 */
		void attach(HaRedisClusterClient client);

		/**
		 * Stop pushing slot maps to this client.
		 * @param client the client
		 */
		void detach(HaRedisClusterClient client);

	}

}
