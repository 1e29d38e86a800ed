package dev.haredis.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;

import dev.haredis.topology.NodeAddress;

/**
 * Lettuce's slot map (its partitions) as the monitor's merged {@link ClusterView} says, built on the nodes Lettuce
 * read from the last answers (their ids, connection settings and flags). Each master serves exactly the view's
 * slots; a node the cluster flags failing that serves none is left out, so Lettuce closes its connection and moves
 * the commands still waiting there to the slot's new master instead of waiting for the command timeout.
 */
final class ClusterPartitions {

	/** Lettuce reads {@code master} as the deprecated flag and tests either: set both. */
	private static final Set<NodeFlag> MASTER = EnumSet.of(NodeFlag.UPSTREAM, NodeFlag.MASTER);

	private static final Set<NodeFlag> REPLICA = EnumSet.of(NodeFlag.REPLICA, NodeFlag.SLAVE);

	private ClusterPartitions() {
	}

	/**
	 * Build the nodes of the slot map.
	 * @param view the monitor's merged view
	 * @param known the nodes as Lettuce last read them, by address
	 * @return copies of the known nodes, with the view's slots and roles
	 */
	static List<RedisClusterNode> of(ClusterView view, Map<NodeAddress, RedisClusterNode> known) {
		Map<NodeAddress, ClusterView.Shard> masters = new HashMap<>();
		Map<NodeAddress, NodeAddress> replicaOf = new HashMap<>();
		for (ClusterView.Shard shard : view.shards()) {
			masters.put(shard.master(), shard);
			shard.replicas().forEach((replica) -> replicaOf.put(replica, shard.master()));
		}
		List<RedisClusterNode> nodes = new ArrayList<>();
		known.forEach((address, read) -> {
			ClusterView.Shard shard = masters.get(address);
			if (shard == null && view.failing().contains(address)) {
				return;
			}
			RedisClusterNode node = new RedisClusterNode(read);
			Set<NodeFlag> flags = EnumSet.noneOf(NodeFlag.class);
			flags.addAll(read.getFlags());
			flags.removeAll(MASTER);
			flags.removeAll(REPLICA);
			if (shard != null) {
				flags.addAll(MASTER);
				node.setSlaveOf(null);
				node.setSlots(slots(shard.slots()));
			}
			else {
				NodeAddress master = replicaOf.get(address);
				RedisClusterNode masterNode = (master != null) ? known.get(master) : null;
				flags.addAll((masterNode != null || read.is(NodeFlag.REPLICA)) ? REPLICA : MASTER);
				if (masterNode != null) {
					node.setSlaveOf(masterNode.getNodeId());
				}
				node.setSlots(List.of());
			}
			node.setFlags(flags);
			nodes.add(node);
		});
		return nodes;
	}

	/**
	 * Index the nodes Lettuce read by their address.
	 * @param nodes the nodes
	 * @return the nodes by address
	 */
	static Map<NodeAddress, RedisClusterNode> byAddress(Collection<RedisClusterNode> nodes) {
		Map<NodeAddress, RedisClusterNode> byAddress = new HashMap<>();
		nodes.stream()
			.filter((node) -> node.getUri() != null && node.getUri().getHost() != null && node.getUri().getPort() > 0)
			.forEach((node) -> byAddress.put(new NodeAddress(node.getUri().getHost(), node.getUri().getPort()), node));
		return byAddress;
	}

	private static List<Integer> slots(List<ClusterView.SlotRange> ranges) {
		List<Integer> slots = new ArrayList<>();
		ranges.forEach((range) -> {
			for (int slot = range.first(); slot <= range.last(); slot++) {
				slots.add(slot);
			}
		});
		return slots;
	}

}
