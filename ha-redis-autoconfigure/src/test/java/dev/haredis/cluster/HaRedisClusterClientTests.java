package dev.haredis.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slot map the monitor gives a {@link HaRedisClusterClient} goes through the application's node filter, as
 * Lettuce's own refresh would.
 */
class HaRedisClusterClientTests {

	private static final String NODES = """
			a1 127.0.0.1:30001@1 myself,master - 0 0 1 connected 0-8191
			b1 127.0.0.1:30002@1 master - 0 0 2 connected 8192-16383
			a2 127.0.0.1:30003@1 slave a1 0 0 1 connected
			b2 127.0.0.1:30004@1 slave b1 0 0 2 connected
			""";

	private final ClientResources resources = ClientResources.create();

	private final Source source = new Source();

	@AfterEach
	void shutDown() {
		this.resources.shutdown();
	}

	@Test
	void theNodeFilterAppliesToEverySlotMapTheMonitorGives() {
		HaRedisClusterClient client = new HaRedisClusterClient(this.resources,
				List.of(RedisURI.create("redis://127.0.0.1:30001")), this.source, Duration.ZERO);
		try {
			client.setOptions(ClusterClientOptions.builder()
				.nodeFilter((node) -> !node.is(NodeFlag.REPLICA))
				.build());
			assertThat(client.getPartitions()).extracting((node) -> node.getUri().getPort())
				.containsExactlyInAnyOrder(30001, 30002);
			client.apply(this.source.nodes);
			assertThat(client.getPartitions()).extracting((node) -> node.getUri().getPort())
				.containsExactlyInAnyOrder(30001, 30002);
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void withoutAFilterEveryNodeIsKept() {
		HaRedisClusterClient client = new HaRedisClusterClient(this.resources,
				List.of(RedisURI.create("redis://127.0.0.1:30001")), this.source, Duration.ZERO);
		try {
			assertThat(client.getPartitions()).hasSize(4);
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * A monitor that always has the same view.
	 */
	private static final class Source implements HaRedisClusterClient.SlotSource {

		final List<RedisClusterNode> nodes = new ArrayList<>(ClusterPartitionParser.parse(NODES).getPartitions());

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public CompletableFuture<List<RedisClusterNode>> freshNodes() {
			return CompletableFuture.completedFuture(this.nodes);
		}

		@Override
		public void attach(HaRedisClusterClient client) {
		}

		@Override
		public void detach(HaRedisClusterClient client) {
		}

	}

}
