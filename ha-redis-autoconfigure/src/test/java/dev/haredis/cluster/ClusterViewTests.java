package dev.haredis.cluster;

import java.util.List;

import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.api.Test;

import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterViewTests {

	static final String NODES = """
			a1 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460
			b1 127.0.0.1:30002@40002, master - 0 1426238316232 2 connected 5461-10922 [10923->-c1]
			c1 127.0.0.1:30003@40003 master,fail - 1426238316232 1426238318243 3 disconnected 10923-16383
			a2 127.0.0.1:30004@40004 slave a1 0 1426238316232 1 connected
			b2 127.0.0.1:30005@40005 slave b1 0 1426238316232 2 connected
			c2 127.0.0.1:30006@40006 slave,fail? c1 0 1426238316232 3 connected
			e1 127.0.0.1:30007@40007 master - 0 0 0 connected
			""";

	@Test
	void readsShardsInSlotOrderWithTheirEpochsAndReplicas() {
		ClusterView view = ClusterView.parse(NODES);
		assertThat(view.shards()).extracting(ClusterView.Shard::master)
			.containsExactly(node(30001), node(30002), node(30003));
		ClusterView.Shard second = view.shards().get(1);
		assertThat(second.configEpoch()).isEqualTo(2);
		assertThat(second.slots()).containsExactly(new ClusterView.SlotRange(5461, 10922));
		assertThat(second.replicas()).containsExactly(node(30005));
		assertThat(view.slotsServed()).isEqualTo(16384);
		assertThat(view.shardOf(10923).master()).isEqualTo(node(30003));
		assertThat(view.failing()).containsExactlyInAnyOrder(node(30003), node(30006));
	}

	@Test
	void leavesOutMastersWithoutSlotsAndSlotsNobodyServes() {
		ClusterView view = ClusterView.parse("a1 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-99 200\n"
				+ "e1 127.0.0.1:30007@40007 master - 0 0 0 connected\n");
		assertThat(view.shards()).singleElement()
			.satisfies((shard) -> assertThat(shard.slots()).containsExactly(new ClusterView.SlotRange(0, 99),
					new ClusterView.SlotRange(200, 200)));
		assertThat(view.shardOf(100)).isNull();
		assertThat(view.slotsServed()).isEqualTo(101);
	}

	@Test
	void readsIpv6HostsAndLeavesOutNodesWithoutAnAddress() {
		ClusterView view = ClusterView.parse("a1 ::1:30001@40001 myself,master - 0 0 1 connected 0-16383\n"
				+ "b1 :0@0 slave,noaddr a1 0 0 1 disconnected\n");
		assertThat(view.shards()).singleElement().satisfies((shard) -> {
			assertThat(shard.master()).isEqualTo(new NodeAddress("::1", 30001));
			assertThat(shard.replicas()).isEmpty();
		});
	}

	@Test
	void readsTheAnnouncedHostnameAsLettuceRoutesByIt() {
		ClusterView view = ClusterView.parse("a1 10.0.0.1:6379@16379,redis-a myself,master - 0 0 1 connected 0-16383\n"
				+ "a2 10.0.0.2:6379@16379, slave a1 0 0 1 connected\n"
				+ "a3 10.0.0.3:6379@16379,,shard-id=abc slave a1 0 0 1 connected\n");
		assertThat(view.shards()).singleElement().satisfies((shard) -> {
			assertThat(shard.master()).isEqualTo(new NodeAddress("redis-a", 6379));
			assertThat(shard.replicas()).containsExactly(new NodeAddress("10.0.0.2", 6379),
					new NodeAddress("10.0.0.3", 6379));
		});
		List<RedisClusterNode> lettuce = ClusterPartitionParser
			.parse("a1 10.0.0.1:6379@16379,redis-a myself,master - 0 0 1 connected 0-16383\n")
			.getPartitions();
		assertThat(lettuce.get(0).getUri().getHost()).as("the same host as Lettuce's").isEqualTo("redis-a");
	}

	@Test
	void refusesWhatIsNoNodeLine() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterView.parse("ERR cluster support disabled"))
			.withMessageContaining("Not a CLUSTER NODES line");
	}

	static NodeAddress node(int port) {
		return new NodeAddress("127.0.0.1", port);
	}

}
