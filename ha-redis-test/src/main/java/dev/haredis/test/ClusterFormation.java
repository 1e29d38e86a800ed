package dev.haredis.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * How a test cluster is formed from fresh nodes, and when it is healthy: the first nodes become the masters and
 * share the slots evenly, the others replicate them in turn. For local processes ({@link LocalClusterTopology}) and
 * servers in containers alike.
 *
 * @param <M> the type of the members
 */
public final class ClusterFormation<M extends ClusterMember> {

	private final List<M> nodes;

	private final String announcedHost;

	private final int masters;

	private final int replicasPerMaster;

	private final Duration readyTimeout;

	private final List<RedisProcess> logs;

	/**
	 * Create a formation.
	 * @param nodes the nodes, masters first
	 * @param announcedHost the host the nodes announce and reach each other at
	 * @param masters how many masters
	 * @param replicasPerMaster how many replicas each master has
	 * @param readyTimeout how long forming may take
	 * @param logs the processes whose log tails a time-out shows (none for containers)
	 */
	public ClusterFormation(List<M> nodes, String announcedHost, int masters, int replicasPerMaster,
			Duration readyTimeout, List<RedisProcess> logs) {
		this.nodes = nodes;
		this.announcedHost = announcedHost;
		this.masters = masters;
		this.replicasPerMaster = replicasPerMaster;
		this.readyTimeout = readyTimeout;
		this.logs = logs;
	}

	/**
	 * Introduce every node to the first, give the masters their slots and make the others replicate them.
	 */
	public void form() {
		M first = this.nodes.get(0);
		for (M node : this.nodes.subList(1, this.nodes.size())) {
			first.command("CLUSTER", "MEET", this.announcedHost, Integer.toString(node.port()));
		}
		ProcessWait.until("every node to know the " + this.nodes.size() + " nodes", this.readyTimeout, this.logs,
				() -> everyNodeKnowsAll() ? Optional.of(true) : Optional.empty());
		int masters = this.masters;
		for (int i = 0; i < masters; i++) {
			int firstSlot = i * LocalClusterTopology.SLOTS / masters;
			int lastSlot = (i + 1) * LocalClusterTopology.SLOTS / masters - 1;
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			IntStream.rangeClosed(firstSlot, lastSlot).forEach((slot) -> command.add(Integer.toString(slot)));
			this.nodes.get(i).command(command.toArray(String[]::new));
		}
		for (int i = masters; i < this.nodes.size(); i++) {
			M master = this.nodes.get((i - masters) % masters);
			this.nodes.get(i).command("CLUSTER", "REPLICATE", myself(master).id());
		}
	}

	/**
	 * Whether every node answers, sees the whole cluster healthy ({@code cluster_state:ok}, every slot served, no
	 * node failing or in handshake, each master with its replicas) and every master has a write acknowledged by all
	 * of its replicas (a replica reports its link up before its master streams to it).
	 */
	public boolean healthy() {
		try {
			List<ClusterNode> masters = List.of();
			for (M node : this.nodes) {
				String info = String.valueOf(node.command("CLUSTER", "INFO"));
				if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:" + LocalClusterTopology.SLOTS)
						|| !info.contains("cluster_known_nodes:" + this.nodes.size() + "\r")) {
					return false;
				}
				List<ClusterNode> view = ClusterNode.parseAll(String.valueOf(node.command("CLUSTER", "NODES")));
				if (!wholeAndHealthy(view)) {
					return false;
				}
				masters = view.stream().filter(ClusterNode::isMaster).toList();
			}
			for (ClusterNode master : masters) {
				String key = keyServedBy(master);
				if (!member(master.port()).inSession((connection) -> connection.acknowledgedAfter(
						this.replicasPerMaster, Duration.ofSeconds(1), "SET", key, "1"))) {
					return false;
				}
			}
			return true;
		}
		catch (RuntimeException ex) {
			// a node restarting or being reconfigured
			return false;
		}
	}

	/**
	 * Whether one node's view shows no node failing or in handshake, and each master with its replicas: views
	 * converge through gossip, so every node's is checked.
	 */
	private boolean wholeAndHealthy(List<ClusterNode> view) {
		if (view.stream()
			.anyMatch((seen) -> seen.isFailing() || seen.flags().contains("handshake") || seen.flags().contains("noaddr")
					|| !seen.connected())) {
			return false;
		}
		List<ClusterNode> masters = view.stream().filter(ClusterNode::isMaster).toList();
		return masters.size() == this.masters && masters.stream()
			.allMatch((master) -> view.stream().filter((node) -> master.id().equals(node.masterId())).count()
					== this.replicasPerMaster);
	}

	/**
	 * A key in one of the master's slots, for the write its replicas acknowledge.
	 */
	private static String keyServedBy(ClusterNode master) {
		for (int i = 0;; i++) {
			String key = "__ha-redis-test:acknowledged:" + i;
			if (master.serves(ClusterSlots.slot(key))) {
				return key;
			}
		}
	}

	private boolean everyNodeKnowsAll() {
		for (M node : this.nodes) {
			List<ClusterNode> view = ClusterNode.parseAll(String.valueOf(node.command("CLUSTER", "NODES")));
			if (view.size() != this.nodes.size()
					|| view.stream().anyMatch((seen) -> seen.flags().contains("handshake") || !seen.connected())) {
				return false;
			}
		}
		return true;
	}

	private static ClusterNode myself(ClusterMember node) {
		return myself(ClusterNode.parseAll(String.valueOf(node.command("CLUSTER", "NODES"))), node);
	}

	/**
	 * The line of a node's own answer to {@code CLUSTER NODES} that describes it.
	 */
	static ClusterNode myself(List<ClusterNode> view, ClusterMember node) {
		return view.stream()
			.filter((seen) -> seen.flags().contains("myself"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(node + " does not list itself in CLUSTER NODES"));
	}

	/**
	 * Return the member that listens on a port.
	 * @param port the port it announces
	 * @return the member
	 */
	public M member(int port) {
		return this.nodes.stream()
			.filter((node) -> node.port() == port)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No node of this cluster listens on " + port));
	}

}
