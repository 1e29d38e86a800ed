package dev.haredis.cluster;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.haredis.topology.NodeAddress;

import static dev.haredis.cluster.ClusterViewTests.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReplicaLagsTests {

	private static final NodeAddress MASTER = new NodeAddress("redis-a", 6379);

	@Test
	void aReplicaTheMasterSeesAtItsListedAddressGetsItsLagAndOneNotListedIsShownAsTheMasterSeesIt() {
		ClusterView.Shard shard = shard(node(30004), node(30007));
		ReplicationInfo info = info("slave0:ip=127.0.0.1,port=30004,state=online,offset=900,lag=0",
				"slave1:ip=127.0.0.1,port=30008,state=send_bulk,offset=0,lag=3");
		assertThat(ReplicaLags.match(shard, info, Set.of())).containsExactly(
				new ClusterSnapshot.Replica(node(30004), null, "online", 100L, true),
				new ClusterSnapshot.Replica(node(30007), null, null, null, true),
				new ClusterSnapshot.Replica(node(30008), null, "send_bulk", 1000L, false));
	}

	@Test
	void anAnnouncedHostnameIsPairedWithTheIpTheMasterSeesByItsPort() {
		ClusterView.Shard shard = shard(new NodeAddress("redis-b", 6380), new NodeAddress("redis-c", 6381));
		ReplicationInfo info = info("slave0:ip=10.0.0.3,port=6381,state=online,offset=1000,lag=0",
				"slave1:ip=10.0.0.2,port=6380,state=online,offset=990,lag=0");
		assertThat(ReplicaLags.match(shard, info, Set.of())).containsExactly(
				new ClusterSnapshot.Replica(new NodeAddress("redis-b", 6380), new NodeAddress("10.0.0.2", 6380),
						"online", 10L, true),
				new ClusterSnapshot.Replica(new NodeAddress("redis-c", 6381), new NodeAddress("10.0.0.3", 6381),
						"online", 0L, true));
	}

	@Test
	void behindNatTheOnlyReplicaLeftOnEachSideIsOne() {
		ClusterView.Shard shard = shard(new NodeAddress("203.0.113.5", 7004));
		ReplicationInfo info = info("slave0:ip=172.18.0.5,port=6379,state=online,offset=1000,lag=0");
		assertThat(ReplicaLags.match(shard, info, Set.of())).containsExactly(new ClusterSnapshot.Replica(
				new NodeAddress("203.0.113.5", 7004), new NodeAddress("172.18.0.5", 6379), "online", 0L, true));
	}

	@Test
	void neverGuessesBetweenSeveralReplicasOnOnePortNorForOneThatIsDown() {
		ClusterView.Shard shard = shard(new NodeAddress("203.0.113.5", 6379), new NodeAddress("203.0.113.6", 6379));
		ReplicationInfo info = info("slave0:ip=172.18.0.5,port=6379,state=online,offset=1000,lag=0",
				"slave1:ip=172.18.0.6,port=6379,state=online,offset=1000,lag=0");
		assertThat(ReplicaLags.match(shard, info, Set.of())).extracting(ClusterSnapshot.Replica::lagBytes,
				ClusterSnapshot.Replica::listed)
			.containsExactly(tuple(null, true), tuple(null, true), tuple(0L, false), tuple(0L, false));
		ClusterView.Shard one = shard(new NodeAddress("203.0.113.5", 7004));
		ReplicationInfo another = info("slave0:ip=172.18.0.9,port=6379,state=online,offset=1000,lag=0");
		assertThat(ReplicaLags.match(one, another, Set.of(new NodeAddress("203.0.113.5", 7004))))
			.as("a dead replica is not the one the master sees")
			.extracting(ClusterSnapshot.Replica::listed)
			.containsExactly(true, false);
	}

	private static ClusterView.Shard shard(NodeAddress... replicas) {
		return new ClusterView.Shard(MASTER, 1, List.of(new ClusterView.SlotRange(0, 16383)), List.of(replicas));
	}

	private static ReplicationInfo info(String... replicas) {
		return ReplicationInfo.parse("role:master\r\n" + String.join("\r\n", replicas)
				+ "\r\nmaster_repl_offset:1000\r\n");
	}

}
