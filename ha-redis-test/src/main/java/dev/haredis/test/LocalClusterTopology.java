package dev.haredis.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A Redis Cluster of real {@code redis-server} processes on 127.0.0.1: by default 3 masters sharing the 16384 slots
 * and one replica each, with a {@code cluster-node-timeout} of 2 s, formed with {@code CLUSTER MEET},
 * {@code CLUSTER ADDSLOTS} and {@code CLUSTER REPLICATE} (no {@code redis-cli} needed). Faults act on the master
 * of a slot: {@link #killMasterOf(int)}, {@link #freezeMasterOf(int)}, {@link #failoverShardOf(int)};
 * {@link #restore()} brings the cluster back to full health, and {@link #close()} kills every process by PID.
 *
 * <pre class="code">
 * try (LocalClusterTopology cluster = LocalClusterTopology.builder().start()) {
 *     int slot = LocalClusterTopology.slot("user:42");
 *     RedisProcess killed = cluster.killMasterOf(slot);
 *     RedisProcess promoted = cluster.awaitNewMasterOf(slot, killed, Duration.ofSeconds(30));
 * }
 * </pre>
 */
public final class LocalClusterTopology implements AutoCloseable {

	/** How many hash slots a cluster has. */
	public static final int SLOTS = 16384;

	static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private final LocalClusterTopologyBuilder settings;

	private final Path directory;

	private final List<RedisProcess> nodes = new ArrayList<>();

	private final ClusterFormation<RedisProcess> formation;

	LocalClusterTopology(LocalClusterTopologyBuilder settings) {
		this.settings = settings;
		this.formation = new ClusterFormation<>(this.nodes, "127.0.0.1", settings.masters(),
				settings.replicasPerMaster(), READY_TIMEOUT, this.nodes);
		try {
			this.directory = Files.createTempDirectory("ha-redis-cluster-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return a builder for a cluster topology.
	 * @return the builder
	 */
	public static LocalClusterTopologyBuilder builder() {
		return new LocalClusterTopologyBuilder();
	}

	void start() {
		int count = this.settings.masters() * (1 + this.settings.replicasPerMaster());
		for (int i = 0; i < count; i++) {
			int port = LocalPorts.unusedWithClusterBus();
			RedisProcess node = new RedisProcess("node-" + port, false, port, writeConfig(port), this.settings.binary(),
					null, null, List.of(), null);
			this.nodes.add(node);
			node.start();
		}
		this.formation.form();
		awaitReady();
	}

	/**
	 * Return every node, masters and replicas, in start order (which says nothing of their role now).
	 * @return the nodes
	 */
	public List<RedisProcess> nodes() {
		return List.copyOf(this.nodes);
	}

	/**
	 * Return the seed nodes as the application reaches them, {@code host:port} joined with commas
	 * ({@code ha.redis.cluster.nodes}, {@code spring.data.redis.cluster.nodes}).
	 * @return the nodes
	 */
	public String seedNodes() {
		return this.nodes.stream().map(RedisProcess::address).collect(Collectors.joining(","));
	}

	/**
	 * Return the node that serves a slot as master, as the running nodes agree, waiting a bounded time for them to
	 * agree on one that answers {@code ROLE} as master.
	 * @param slot the slot
	 * @return its master
	 */
	public RedisProcess masterOf(int slot) {
		return awaitValue("the nodes to agree on the master of slot " + slot, READY_TIMEOUT,
				() -> agreedMasterOf(slot, null));
	}

	/**
	 * Return the replicas of a master, as it sees them.
	 * @param master the master
	 * @return its replicas
	 */
	public List<RedisProcess> replicasOf(RedisProcess master) {
		List<ClusterNode> view = ClusterNode.parseAll(String.valueOf(master.command("CLUSTER", "NODES")));
		String masterId = ClusterFormation.myself(view, master).id();
		return view.stream()
			.filter((node) -> masterId.equals(node.masterId()))
			.map((node) -> this.formation.member(node.port()))
			.toList();
	}

	/**
	 * Kill the master of a slot ({@code SIGKILL}), as a crash would.
	 * @param slot the slot
	 * @return the killed master
	 */
	public RedisProcess killMasterOf(int slot) {
		RedisProcess master = masterOf(slot);
		master.kill();
		return master;
	}

	/**
	 * Freeze the master of a slot ({@code SIGSTOP}): it keeps its connections and answers nothing, until
	 * {@link RedisProcess#unfreeze()} or {@link #restore()}.
	 * @param slot the slot
	 * @return the frozen master
	 */
	public RedisProcess freezeMasterOf(int slot) {
		RedisProcess master = masterOf(slot);
		master.freeze();
		return master;
	}

	/**
	 * Ask the first replica of a slot's master for a manual failover ({@code CLUSTER FAILOVER}): the replica waits
	 * until it has the master's whole replication stream, then both swap roles.
	 * @param slot the slot
	 * @return the master at the time of the request
	 */
	public RedisProcess failoverShardOf(int slot) {
		RedisProcess master = masterOf(slot);
		RedisProcess replica = replicasOf(master).get(0);
		replica.command("CLUSTER", "FAILOVER");
		return master;
	}

	/**
	 * Wait until the running nodes agree that a node other than {@code previous} serves the slot as master and it
	 * answers {@code ROLE} as master.
	 * @param slot the slot
	 * @param previous the master before the fault
	 * @param timeout how long to wait at most
	 * @return the new master
	 */
	public RedisProcess awaitNewMasterOf(int slot, RedisProcess previous, Duration timeout) {
		return awaitValue("a master of slot " + slot + " other than " + previous, timeout,
				() -> agreedMasterOf(slot, previous));
	}

	/**
	 * Bring the cluster back to full health: start what was killed, resume what was frozen, and wait until every
	 * node sees the whole cluster healthy, every slot served, every master with its replicas streaming to them.
	 */
	public void restore() {
		for (RedisProcess node : this.nodes) {
			if (!node.isAlive()) {
				node.start();
			}
			else {
				node.unfreeze();
			}
		}
		awaitReady();
	}

	/**
	 * Return the hash slot of a key (CRC16 of the key, or of its hash tag, modulo 16384), as the servers compute it.
	 * @param key the key
	 * @return the slot
	 */
	public static int slot(String key) {
		return ClusterSlots.slot(key);
	}

	/**
	 * Kill every process (SIGKILL by PID) and delete the working directory.
	 */
	@Override
	public void close() {
		this.nodes.forEach(RedisProcess::kill);
		LocalConfigFiles.deleteTree(this.directory);
	}

	private void awaitReady() {
		awaitValue("every node to see a healthy cluster with " + this.settings.masters() + " masters and "
				+ this.settings.replicasPerMaster() + " replica(s) each, streaming", READY_TIMEOUT,
				() -> this.formation.healthy() ? Optional.of(true) : Optional.empty());
	}

	private Optional<RedisProcess> agreedMasterOf(int slot, @Nullable RedisProcess previous) {
		Integer agreed = null;
		for (RedisProcess node : this.nodes) {
			if (!node.isAlive() || node == previous) {
				continue;
			}
			try {
				Optional<ClusterNode> master = ClusterNode.parseAll(String.valueOf(node.command("CLUSTER", "NODES")))
					.stream()
					.filter((candidate) -> candidate.isMaster() && !candidate.isFailing() && candidate.serves(slot))
					.findFirst();
				if (master.isEmpty() || (agreed != null && agreed != master.get().port())) {
					return Optional.empty();
				}
				agreed = master.get().port();
			}
			catch (RuntimeException ex) {
				// a frozen node: ask the others
			}
		}
		if (agreed == null || (previous != null && agreed == previous.port())) {
			return Optional.empty();
		}
		RedisProcess master = this.formation.member(agreed);
		return "master".equals(master.role()) ? Optional.of(master) : Optional.empty();
	}

	private Path writeConfig(int port) {
		String config = String.join("\n", "port " + port, "bind 127.0.0.1", "protected-mode no", "daemonize no",
				"dir " + this.directory, "dbfilename dump-" + port + ".rdb", "appendonly no", "save \"\"",
				"cluster-enabled yes", "cluster-config-file nodes-" + port + ".conf",
				"cluster-node-timeout " + this.settings.nodeTimeout().toMillis(), "");
		Path file = this.directory.resolve("node-" + port + ".conf");
		try {
			Files.writeString(file, config, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return file;
	}

	private <T> T awaitValue(String description, Duration timeout, Supplier<Optional<T>> probe) {
		return ProcessWait.until(description, timeout, this.nodes, probe);
	}

}
