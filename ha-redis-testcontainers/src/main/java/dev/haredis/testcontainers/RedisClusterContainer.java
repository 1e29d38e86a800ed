package dev.haredis.testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import dev.haredis.cluster.ClusterView;
import dev.haredis.test.ClusterFormation;
import dev.haredis.test.ClusterMember;
import dev.haredis.test.RespConnection;
import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * A Redis Cluster in containers (3 masters and 3 replicas unless told otherwise), deployed the way Docker
 * deployments break cluster clients: the nodes share one network namespace and announce addresses valid only
 * inside it ({@value #ANNOUNCED_HOST} and the container ports) in {@code CLUSTER NODES} and in every {@code MOVED},
 * while the application reaches them through ports published on the Docker host's loopback.
 * {@link #getAddressMap()} maps one to the other; with {@code @ServiceConnection} it configures ha-redis's cluster
 * support, map included. Needs a local Docker engine.
 */
public class RedisClusterContainer extends GenericContainer<RedisClusterContainer> {

	/** The host the nodes announce: their loopback in their namespace; nothing listens there on the host. */
	public static final String ANNOUNCED_HOST = RedisSentinelContainer.ANNOUNCED_HOST;

	/** Not the sentinel container's ports, nor Redis's default: see {@link SentinelContainerLayout}. */
	static final int FIRST_PORT = 17379;

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private final DockerImageName redisImage;

	private final SentinelContainerConnections connections = new SentinelContainerConnections(this::getMappedPort);

	private final List<GenericContainer<?>> members = new ArrayList<>();

	private int masters = 3;

	private int replicasPerMaster = 1;

	private Duration nodeTimeout = Duration.ofSeconds(2);

	/**
	 * Create a cluster of containers of a Redis image: an official one such as {@code redis:7.4}, or one built by
	 * {@link LocalRedisImage} where no registry is reachable.
	 * @param redisImage the image; it must have {@code redis-server} on its {@code PATH}
	 */
	public RedisClusterContainer(DockerImageName redisImage) {
		super(redisImage);
		this.redisImage = redisImage;
	}

	/**
	 * Set the shape of the cluster.
	 * @param masters how many masters share the slots (at least 3, as Redis requires for failovers)
	 * @param replicasPerMaster how many replicas each has
	 * @return this container
	 */
	public RedisClusterContainer withShards(int masters, int replicasPerMaster) {
		this.masters = masters;
		this.replicasPerMaster = replicasPerMaster;
		return self();
	}

	/**
	 * Set how long a node must be unreachable before the others think it failed.
	 * @param nodeTimeout {@code cluster-node-timeout}
	 * @return this container
	 */
	public RedisClusterContainer withNodeTimeout(Duration nodeTimeout) {
		this.nodeTimeout = nodeTimeout;
		return self();
	}

	@Override
	protected void configure() {
		withExposedPorts(ports().toArray(Integer[]::new));
		// The namespace holder is a Redis server itself, on a port nobody uses, so the image needs nothing else.
		withCreateContainerCmdModifier((command) -> SentinelContainerLayout.publishOnLoopback(command, ports()));
		setCommand("--port", Integer.toString(SentinelContainerLayout.HOLDER_PORT), "--save", "", "--appendonly", "no");
		waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
	}

	@Override
	protected void containerIsStarted(InspectContainerResponse containerInfo) {
		String network = "container:" + getContainerId();
		for (int port : ports()) {
			GenericContainer<?> member = new GenericContainer<>(this.redisImage).withNetworkMode(network)
				.withCreateContainerCmdModifier((command) -> command.withEntrypoint("redis-server"))
				.withCommand("--port", Integer.toString(port), "--cluster-enabled", "yes", "--cluster-config-file",
						"nodes-" + port + ".conf", "--cluster-node-timeout", Long.toString(this.nodeTimeout.toMillis()),
						"--cluster-announce-ip", ANNOUNCED_HOST, "--save", "", "--appendonly", "no",
						"--protected-mode", "no")
				.waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1).withStartupTimeout(READY_TIMEOUT));
			member.start();
			this.members.add(member);
		}
		ClusterFormation<Node> formation = formation();
		formation.form();
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (!formation.healthy()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The cluster in containers was not healthy within " + READY_TIMEOUT);
			}
			pause();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the cluster", ex);
		}
	}

	/**
	 * Return the seed nodes as this application reaches them (published ports on the Docker host).
	 * @return the nodes
	 */
	public List<NodeAddress> getNodeAddresses() {
		return ports().stream().map(this::reachable).toList();
	}

	/**
	 * Return the seed nodes as {@code host:port,host:port}, for {@code ha.redis.cluster.nodes}.
	 * @return the nodes
	 */
	public String getSeedNodes() {
		return String.join(",", getNodeAddresses().stream().map(NodeAddress::toString).toList());
	}

	/**
	 * Return the map from each address the nodes announce to the published address the application can reach.
	 * @return the address map
	 */
	public AddressMap getAddressMap() {
		AddressMap.Builder builder = AddressMap.builder();
		ports().forEach((port) -> builder.address(new NodeAddress(ANNOUNCED_HOST, port), reachable(port)));
		return builder.build();
	}

	/**
	 * Return {@link #getAddressMap()} as {@code ha.redis.cluster.address-map[announced]=reachable} properties, for a
	 * property source ({@code withPropertyValues("key=value")} would split these keys at their colon).
	 * @return the address map properties
	 */
	public Map<String, String> getAddressMapProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		ports().forEach((port) -> properties.put("ha.redis.cluster.address-map[" + ANNOUNCED_HOST + ":" + port + "]",
				reachable(port).toString()));
		return properties;
	}

	/**
	 * Return the cluster's shards as a node describes them, with announced addresses.
	 * @return the view
	 */
	public ClusterView view() {
		return ClusterView.parse(String.valueOf(command(FIRST_PORT, "CLUSTER", "NODES")));
	}

	/**
	 * Ask the first replica of the master that serves a key for a manual failover ({@code CLUSTER FAILOVER}).
	 * @param key the key
	 * @return the master at the time of the request, as announced
	 */
	public NodeAddress failoverShardOf(String key) {
		ClusterView.Shard shard = Objects.requireNonNull(view().shardOf(slot(key)), "no master serves " + key);
		command(shard.replicas().get(0).port(), "CLUSTER", "FAILOVER");
		return shard.master();
	}

	/**
	 * Send a command to a node through its published port.
	 * @param announcedPort the port it announces (the container port)
	 * @param arguments the command
	 * @return the reply
	 */
	public @Nullable Object command(int announcedPort, String... arguments) {
		return this.connections.command(announcedPort, arguments);
	}

	/**
	 * Return the hash slot of a key, as the nodes compute it.
	 * @param key the key
	 * @return the slot
	 */
	public int slot(String key) {
		return ((Number) Objects.requireNonNull(command(FIRST_PORT, "CLUSTER", "KEYSLOT", key))).intValue();
	}

	@Override
	public void stop() {
		// Members first: they live in this container's network namespace.
		try {
			this.members.forEach(GenericContainer::stop);
			this.members.clear();
		}
		finally {
			super.stop();
		}
	}

	private ClusterFormation<Node> formation() {
		List<Node> nodes = ports().stream().map(Node::new).toList();
		return new ClusterFormation<>(nodes, ANNOUNCED_HOST, this.masters, this.replicasPerMaster, READY_TIMEOUT,
				List.of());
	}

	private List<Integer> ports() {
		return IntStream.range(0, this.masters * (1 + this.replicasPerMaster)).mapToObj((i) -> FIRST_PORT + i).toList();
	}

	private NodeAddress reachable(int port) {
		return new NodeAddress("127.0.0.1", getMappedPort(port));
	}

	/**
	 * A node as the formation talks to it: through its published port.
	 */
	private final class Node implements ClusterMember {

		private final int port;

		Node(int port) {
			this.port = port;
		}

		@Override
		public int port() {
			return this.port;
		}

		@Override
		public @Nullable Object command(String... args) {
			return RedisClusterContainer.this.command(this.port, args);
		}

		@Override
		public <T> T inSession(Function<RespConnection, T> session) {
			return RedisClusterContainer.this.connections.inSession(this.port, session);
		}

	}

}
