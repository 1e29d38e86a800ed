package dev.haredis.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.haredis.topology.NodeAddress;

/**
 * The {@link ClusterCore}'s record of each shard's replication lag: one master at a time is asked for
 * {@code INFO replication}, in turn, never a second request while one is out; its last answer is kept until it
 * stops being a master (a new master's offsets are a new story). One thread feeds it.
 */
final class ReplicaLags {

	private final Map<NodeAddress, ReplicationInfo> answers = new LinkedHashMap<>();

	private @Nullable NodeAddress asking;

	private int cursor;

	/**
	 * Return the next master to ask, in turn, and count its request as out.
	 * @param view the known view
	 * @return the master, or {@code null} while a request is out or no shard is known
	 */
	@Nullable NodeAddress next(ClusterView view) {
		if (this.asking != null || view.shards().isEmpty()) {
			return null;
		}
		this.asking = view.shards().get(Math.floorMod(this.cursor++, view.shards().size())).master();
		return this.asking;
	}

	/**
	 * The request is over: an answer is kept when it comes from a master the view still has; a failure, or a node
	 * that is no master any more, drops what was known of it.
	 * @param master the master asked
	 * @param info its answer, or {@code null} when the request failed
	 * @param view the known view
	 */
	void answered(NodeAddress master, @Nullable ReplicationInfo info, @Nullable ClusterView view) {
		if (!master.equals(this.asking)) {
			// Asked before the monitor restarted; the request out now is another.
			return;
		}
		this.asking = null;
		if (info != null && info.isMaster() && view != null && masters(view).contains(master)) {
			this.answers.put(master, info);
		}
		else {
			this.answers.remove(master);
		}
	}

	/**
	 * Forget the answers of nodes the view no longer has as masters.
	 * @param view the new view
	 */
	void retain(ClusterView view) {
		this.answers.keySet().retainAll(masters(view));
	}

	/**
	 * Forget the request out: after a restart its answer never comes.
	 */
	void restart() {
		this.asking = null;
	}

	/**
	 * Return each answered shard's replicas with their lag, by master.
	 * @param view the known view
	 * @param down the nodes unreachable or flagged failing, never matched by guess
	 * @return the replicas, for the shards whose master answered
	 */
	Map<NodeAddress, List<ClusterSnapshot.Replica>> replicas(@Nullable ClusterView view, Set<NodeAddress> down) {
		Map<NodeAddress, List<ClusterSnapshot.Replica>> replicas = new LinkedHashMap<>();
		if (view != null) {
			for (ClusterView.Shard shard : view.shards()) {
				ReplicationInfo info = this.answers.get(shard.master());
				if (info != null) {
					replicas.put(shard.master(), match(shard, info, down));
				}
			}
		}
		return replicas;
	}

	/**
	 * Pair the replicas {@code CLUSTER NODES} lists with those the master sees. The master sees the address a
	 * replica connects from (NAT, Docker) and {@code CLUSTER NODES} may give a hostname: the same address first,
	 * then the same port when only one replica on each side has it, then the last replica left on each side when
	 * their hosts differ; any other is shown as the master sees it, not listed. A replica down is never guessed.
	 */
	static List<ClusterSnapshot.Replica> match(ClusterView.Shard shard, ReplicationInfo info, Set<NodeAddress> down) {
		List<NodeAddress> listed = new ArrayList<>(shard.replicas());
		List<ReplicationInfo.Replica> seen = new ArrayList<>(info.replicas());
		Map<NodeAddress, ReplicationInfo.Replica> pairs = new LinkedHashMap<>();
		for (ReplicationInfo.Replica replica : List.copyOf(seen)) {
			if (listed.remove(replica.address())) {
				pairs.put(replica.address(), replica);
				seen.remove(replica);
			}
		}
		listed.removeAll(down);
		for (ReplicationInfo.Replica replica : List.copyOf(seen)) {
			int port = replica.address().port();
			List<NodeAddress> samePort = listed.stream().filter((address) -> address.port() == port).toList();
			if (samePort.size() == 1 && seen.stream().filter((other) -> other.address().port() == port).count() == 1) {
				pairs.put(samePort.get(0), replica);
				listed.remove(samePort.get(0));
				seen.remove(replica);
			}
		}
		// On one host a port tells nodes apart: two ports there are two nodes.
		if (listed.size() == 1 && seen.size() == 1 && !listed.get(0).host().equals(seen.get(0).address().host())) {
			pairs.put(listed.remove(0), seen.remove(0));
		}
		List<ClusterSnapshot.Replica> replicas = new ArrayList<>();
		for (NodeAddress address : shard.replicas()) {
			ReplicationInfo.Replica replica = pairs.get(address);
			replicas.add((replica != null) ? replica(address, replica, info, true)
					: ClusterSnapshot.Replica.of(address));
		}
		seen.forEach((replica) -> replicas.add(replica(replica.address(), replica, info, false)));
		return replicas;
	}

	private static ClusterSnapshot.Replica replica(NodeAddress address, ReplicationInfo.Replica replica,
			ReplicationInfo info, boolean listed) {
		NodeAddress seenAs = replica.address().equals(address) ? null : replica.address();
		return new ClusterSnapshot.Replica(address, seenAs, replica.state(), info.lagBytes(replica), listed);
	}

	private static Set<NodeAddress> masters(ClusterView view) {
		return view.shards().stream().map(ClusterView.Shard::master).collect(Collectors.toSet());
	}

}
