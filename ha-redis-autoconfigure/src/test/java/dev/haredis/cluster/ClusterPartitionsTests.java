package dev.haredis.cluster;

import java.util.List;
import java.util.Map;

import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import org.junit.jupiter.api.Test;

import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterPartitionsTests {

	/** What a frozen node c1 still says, back from its freeze: its slots, its old epoch. */
	private static final String STALE = """
			a1 127.0.0.1:30001@1 master - 0 0 1 connected 0-5460
			b1 127.0.0.1:30002@1 master - 0 0 2 connected 5461-10922
			c1 127.0.0.1:30003@1 myself,master - 0 0 3 connected 10923-16383
			a2 127.0.0.1:30004@1 slave a1 0 0 1 connected
			b2 127.0.0.1:30005@1 slave b1 0 0 2 connected
			c2 127.0.0.1:30006@1 slave c1 0 0 3 connected
			""";

	private static final String PROMOTED = """
			a1 127.0.0.1:30001@1 master - 0 0 1 connected 0-5460
			b1 127.0.0.1:30002@1 master - 0 0 2 connected 5461-10922
			c1 127.0.0.1:30003@1 master,fail - 0 0 3 disconnected
			a2 127.0.0.1:30004@1 slave a1 0 0 1 connected
			b2 127.0.0.1:30005@1 slave b1 0 0 2 connected
			c2 127.0.0.1:30006@1 myself,master - 0 0 7 connected 10923-16383
			""";

	@Test
	void mastersServeTheViewsSlotsEvenWhenTheNodesWereReadFromAStaleAnswer() {
		ClusterView merged = ClusterViews.newer(ClusterView.parse(PROMOTED), ClusterView.parse(STALE));
		List<RedisClusterNode> nodes = ClusterPartitions.of(merged, read(STALE));
		RedisClusterNode promoted = find(nodes, 30006);
		assertThat(promoted.is(NodeFlag.UPSTREAM)).isTrue();
		assertThat(promoted.getSlaveOf()).isNull();
		assertThat(promoted.hasSlot(16383)).isTrue();
		assertThat(promoted.getNodeId()).isEqualTo("c2");
		RedisClusterNode old = find(nodes, 30003);
		assertThat(old.getSlots()).as("the stale claim is dropped").isEmpty();
		assertThat(find(nodes, 30001).getSlots()).hasSize(5461);
	}

	@Test
	void aFailedNodeWithoutSlotsIsLeftOutSoItsConnectionIsClosed() {
		List<RedisClusterNode> nodes = ClusterPartitions.of(ClusterView.parse(PROMOTED), read(PROMOTED));
		assertThat(nodes).extracting((node) -> node.getUri().getPort())
			.containsExactlyInAnyOrder(30001, 30002, 30004, 30005, 30006);
		RedisClusterNode replica = find(nodes, 30004);
		assertThat(replica.is(NodeFlag.REPLICA)).isTrue();
		assertThat(replica.getSlaveOf()).isEqualTo("a1");
	}

	@Test
	void aFailingMasterThatStillServesSlotsStays() {
		String failing = PROMOTED.replace("c1 127.0.0.1:30003@1 master,fail - 0 0 3 disconnected",
				"c1 127.0.0.1:30003@1 master,fail? - 0 0 3 disconnected 10923-16383")
			.replace("c2 127.0.0.1:30006@1 myself,master - 0 0 7 connected 10923-16383",
					"c2 127.0.0.1:30006@1 myself,slave c1 0 0 3 connected");
		List<RedisClusterNode> nodes = ClusterPartitions.of(ClusterView.parse(failing), read(failing));
		assertThat(find(nodes, 30003).hasSlot(16383)).isTrue();
		assertThat(find(nodes, 30006).getSlaveOf()).isEqualTo("c1");
	}

	private static Map<NodeAddress, RedisClusterNode> read(String answer) {
		return ClusterPartitions.byAddress(ClusterPartitionParser.parse(answer).getPartitions());
	}

	private static RedisClusterNode find(List<RedisClusterNode> nodes, int port) {
		return nodes.stream().filter((node) -> node.getUri().getPort() == port).findFirst().orElseThrow();
	}


}
