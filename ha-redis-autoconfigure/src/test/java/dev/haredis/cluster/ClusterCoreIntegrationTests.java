package dev.haredis.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.haredis.test.LocalClusterTopology;
import dev.haredis.test.LocalClusterTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster core fed by hand (this test is its shell) with what a real cluster answers to {@code CLUSTER NODES}:
 * the shards read right on both Redis versions, and a killed master's slots reported moved to its replica once, a
 * node that still has the old view never moving them back.
 */
class ClusterCoreIntegrationTests {

	@RegisterExtension
	static final LocalClusterTopologyExtension cluster = new LocalClusterTopologyExtension();

	@Test
	void followsAKilledMastersSlotsToItsReplica() {
		LocalClusterTopology topology = cluster.topology();
		List<NodeAddress> seeds = topology.nodes().stream().map(ClusterCoreIntegrationTests::address).toList();
		ClusterCore core = new ClusterCore(seeds, Duration.ofSeconds(1), Duration.ofMillis(100));
		List<ClusterDecision> decisions = new ArrayList<>(core.start());
		feed(core, decisions);
		ClusterView view = core.view();
		assertThat(view.shards()).hasSize(3).allSatisfy((shard) -> assertThat(shard.replicas()).hasSize(1));
		assertThat(view.slotsServed()).isEqualTo(ClusterView.SLOTS);

		int slot = LocalClusterTopology.slot("user:42");
		RedisProcess killed = topology.killMasterOf(slot);
		RedisProcess promoted = topology.awaitNewMasterOf(slot, killed, Duration.ofSeconds(30));
		List<ShardFailoverEvent> moves = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			// every live node in turn, as the core's polls would
			for (RedisProcess node : topology.nodes()) {
				if (node.isAlive()) {
					core.answered(address(node), ClusterView.parse(String.valueOf(node.command("CLUSTER", "NODES"))),
							Instant.now())
						.stream()
						.filter(ClusterDecision.Publish.class::isInstance)
						.map((decision) -> ((ClusterDecision.Publish) decision).event())
						.forEach(moves::add);
				}
			}
			return !moves.isEmpty();
		});
		assertThat(moves).singleElement().satisfies((move) -> {
			assertThat(move.from()).isEqualTo(address(killed));
			assertThat(move.to()).isEqualTo(address(promoted));
			assertThat(move.slots()).anySatisfy((range) -> assertThat(slot).isBetween(range.first(), range.last()));
		});
		assertThat(core.view().shardOf(slot).master()).isEqualTo(address(promoted));
		topology.restore();
		// The old master is back, a replica now: no answer moves its slots back.
		for (RedisProcess node : topology.nodes()) {
			assertThat(core.answered(address(node), ClusterView.parse(String.valueOf(node.command("CLUSTER", "NODES"))),
					Instant.now())).noneMatch(ClusterDecision.Publish.class::isInstance);
		}
		assertThat(core.view().shardOf(slot).master()).isEqualTo(address(promoted));
	}

	private static void feed(ClusterCore core, List<ClusterDecision> decisions) {
		for (ClusterDecision decision : decisions) {
			if (decision instanceof ClusterDecision.Poll poll) {
				RedisProcess node = cluster.topology()
					.nodes()
					.stream()
					.filter((candidate) -> candidate.port() == poll.node().port())
					.findFirst()
					.orElseThrow();
				core.answered(poll.node(), ClusterView.parse(String.valueOf(node.command("CLUSTER", "NODES"))),
						Instant.now());
			}
		}
	}

	private static NodeAddress address(RedisProcess process) {
		return new NodeAddress("127.0.0.1", process.port());
	}

}
