package dev.haredis.testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import dev.haredis.test.RespConnection;
import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * A Redis master, replicas and sentinels in containers, deployed the way Docker deployments break Sentinel clients:
 * the servers share one network namespace and announce addresses valid only inside it ({@value #ANNOUNCED_HOST}
 * and the container ports), while the application reaches them through ports published on the Docker host's
 * loopback. {@link #getAddressMap()} maps one to the other; without it the master the sentinels name cannot be
 * reached, as behind any port mapping or NAT.
 * <p>
 * This container owns the shared network namespace and the published ports; starting it starts the master,
 * replicas and sentinels, and waits until the sentinels know every replica and each other, so that a failover can
 * be triggered at once. Fault triggers: {@link #killMaster()}, {@link #pauseMaster()}, {@link #failover()},
 * {@link #stopSentinel(int)}. With {@code @ServiceConnection} it configures ha-redis in a {@code @SpringBootTest}.
 * Needs a local Docker engine: published ports are bound to its 127.0.0.1, and the fault triggers and the addresses
 * handed to the application use that loopback (a remote {@code DOCKER_HOST} is not supported).
 */
public class RedisSentinelContainer extends GenericContainer<RedisSentinelContainer> {

	/**
	 * The host the servers announce: inside their network namespace it is their loopback, on the Docker host nothing
	 * listens there.
	 */
	public static final String ANNOUNCED_HOST = "127.0.0.2";

	/** The port of the namespace holder's own server, which nothing uses. */
	private static final int HOLDER_PORT = 16000;

	/** The master name the sentinels monitor unless told otherwise. */
	public static final String DEFAULT_MASTER_NAME = "mymaster";

	// Not Redis's default ports: on Linux all of 127.0.0.0/8 is local, so a developer's own Redis listening on
	// *:6379 would answer at 127.0.0.2:6379, and a test without the map would find it instead of nothing.
	private static final int FIRST_DATA_PORT = 16379;

	private static final int FIRST_SENTINEL_PORT = 16479;

	/** How long a fault trigger waits for the sentinels to agree on the master it acts on. */
	private static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private final DockerImageName redisImage;

	private String masterName = DEFAULT_MASTER_NAME;

	private int replicas = 1;

	private int sentinels = 3;

	private int quorum = 2;

	private Duration downAfter = Duration.ofSeconds(2);

	private Duration failoverTimeout = Duration.ofSeconds(10);

	private Duration readyTimeout = Duration.ofSeconds(60);

	private final List<GenericContainer<?>> dataNodes = new ArrayList<>();

	private final List<GenericContainer<?>> sentinelNodes = new ArrayList<>();

	/**
	 * Create a topology of containers of a Redis image: an official one such as {@code redis:7.4}, or one built by
	 * {@link LocalRedisImage} where no registry is reachable.
	 * @param redisImage the image; it must have {@code redis-server} on its {@code PATH}
	 */
	public RedisSentinelContainer(DockerImageName redisImage) {
		super(redisImage);
		this.redisImage = redisImage;
	}

	/**
	 * Set the master name.
	 * @param masterName the name the sentinels monitor the master under
	 * @return this container
	 */
	public RedisSentinelContainer withMasterName(String masterName) {
		this.masterName = masterName;
		return self();
	}

	/**
	 * Set the number of replicas.
	 * @param replicas how many replicas (at least 1, for a failover to have a candidate)
	 * @return this container
	 */
	public RedisSentinelContainer withReplicas(int replicas) {
		if (replicas < 1) {
			throw new IllegalArgumentException("A failover needs at least one replica, was " + replicas);
		}
		this.replicas = replicas;
		return self();
	}

	/**
	 * Set the number of sentinels and the quorum.
	 * @param sentinels how many sentinels (an odd number, at least 3, for a majority to survive one loss)
	 * @param quorum how many must agree the master is down
	 * @return this container
	 */
	public RedisSentinelContainer withSentinels(int sentinels, int quorum) {
		if (sentinels < 1 || quorum < 1 || quorum > sentinels) {
			throw new IllegalArgumentException("Need 1 <= quorum <= sentinels, was quorum " + quorum + " of " + sentinels);
		}
		this.sentinels = sentinels;
		this.quorum = quorum;
		return self();
	}

	/**
	 * Set how long the master must be unreachable before a sentinel thinks it down.
	 * @param downAfter {@code down-after-milliseconds}
	 * @return this container
	 */
	public RedisSentinelContainer withDownAfter(Duration downAfter) {
		this.downAfter = downAfter;
		return self();
	}

	/**
	 * Set the sentinels' failover timeout.
	 * @param failoverTimeout {@code failover-timeout}
	 * @return this container
	 */
	public RedisSentinelContainer withFailoverTimeout(Duration failoverTimeout) {
		this.failoverTimeout = failoverTimeout;
		return self();
	}

	@Override
	protected void configure() {
		List<Integer> ports = new ArrayList<>(dataPorts());
		ports.addAll(sentinelPorts());
		withExposedPorts(ports.toArray(Integer[]::new));
		// The namespace holder is a Redis server itself, on a port nobody uses, so the image needs nothing else.
		withCreateContainerCmdModifier((command) -> {
			command.withEntrypoint("redis-server");
			List<PortBinding> bindings = ports.stream()
				.map((port) -> new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(port)))
				.toList();
			command.getHostConfig().withPublishAllPorts(false).withPortBindings(bindings);
		});
		setCommand("--port", Integer.toString(HOLDER_PORT), "--save", "", "--appendonly", "no");
		waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
	}

	@Override
	protected void containerIsStarted(InspectContainerResponse containerInfo) {
		String network = "container:" + getContainerId();
		for (int i = 0; i <= this.replicas; i++) {
			GenericContainer<?> node = member(network, "Ready to accept connections").withCommand(dataNodeArguments(i));
			node.start();
			this.dataNodes.add(node);
		}
		for (int i = 0; i < this.sentinels; i++) {
			GenericContainer<?> sentinel = member(network, "\\+monitor master")
				.withCopyToContainer(Transferable.of(sentinelConfiguration(i)), "/data/sentinel.conf")
				.withCommand("/data/sentinel.conf", "--sentinel");
			sentinel.start();
			this.sentinelNodes.add(sentinel);
		}
		awaitReady();
	}

	private GenericContainer<?> member(String network, String readyLog) {
		return new GenericContainer<>(this.redisImage).withNetworkMode(network)
			.withCreateContainerCmdModifier((command) -> command.withEntrypoint("redis-server"))
			.waitingFor(Wait.forLogMessage(".*" + readyLog + ".*", 1).withStartupTimeout(this.readyTimeout));
	}

	private String[] dataNodeArguments(int index) {
		List<String> arguments = new ArrayList<>(List.of("--port", Integer.toString(FIRST_DATA_PORT + index), "--save",
				"", "--appendonly", "no", "--protected-mode", "no", "--replica-announce-ip", ANNOUNCED_HOST));
		if (index > 0) {
			arguments.addAll(List.of("--replicaof", ANNOUNCED_HOST, Integer.toString(FIRST_DATA_PORT)));
		}
		return arguments.toArray(String[]::new);
	}

	private String sentinelConfiguration(int index) {
		return String.join("\n", "port " + (FIRST_SENTINEL_PORT + index), "protected-mode no",
				"sentinel announce-ip " + ANNOUNCED_HOST,
				"sentinel monitor " + this.masterName + " " + ANNOUNCED_HOST + " " + FIRST_DATA_PORT + " " + this.quorum,
				"sentinel down-after-milliseconds " + this.masterName + " " + this.downAfter.toMillis(),
				"sentinel failover-timeout " + this.masterName + " " + this.failoverTimeout.toMillis(),
				"sentinel parallel-syncs " + this.masterName + " 1", "");
	}

	/**
	 * Wait until every sentinel knows every replica (with its link up) and the other sentinels: until then a
	 * failover could find no candidate or no majority.
	 */
	private void awaitReady() {
		awaitCondition("the sentinels to know " + this.replicas + " replica(s) and " + (this.sentinels - 1)
				+ " other sentinel(s)", this.readyTimeout, () -> {
					for (int port : sentinelPorts()) {
						List<?> replicaList = (List<?>) command(port, "SENTINEL", "REPLICAS", this.masterName);
						List<?> sentinelList = (List<?>) command(port, "SENTINEL", "SENTINELS", this.masterName);
						long linked = replicaList.stream()
							.map(RedisSentinelContainer::fields)
							.filter((replica) -> "ok".equals(replica.get("master-link-status")))
							.count();
						if (linked < this.replicas || sentinelList.size() < this.sentinels - 1) {
							return false;
						}
					}
					return true;
				});
	}

	/**
	 * Return the master name the sentinels monitor.
	 * @return the master name
	 */
	public String getMasterName() {
		return this.masterName;
	}

	/**
	 * Return the sentinels as this application reaches them (published ports on the Docker host).
	 * @return the sentinel addresses
	 */
	public List<NodeAddress> getSentinelAddresses() {
		return sentinelPorts().stream().map(this::reachable).toList();
	}

	/**
	 * Return the sentinels as {@code host:port,host:port}, for {@code ha.redis.sentinel.nodes}.
	 * @return the sentinel nodes
	 */
	public String getSentinelNodes() {
		return String.join(",", getSentinelAddresses().stream().map(NodeAddress::toString).toList());
	}

	/**
	 * Return the map from each address the servers and sentinels announce to the published address the
	 * application can reach; {@code ha.redis.sentinel.address-map} in property form.
	 * @return the address map
	 */
	public AddressMap getAddressMap() {
		AddressMap.Builder builder = AddressMap.builder();
		dataPorts().forEach((port) -> builder.address(announced(port), reachable(port)));
		sentinelPorts().forEach((port) -> builder.address(announced(port), reachable(port)));
		return builder.build();
	}

	/**
	 * Return the map of {@link #getAddressMap()} as properties: {@code ha.redis.sentinel.address-map[announced]} to
	 * {@code reachable}, for a property source (a {@code MapPropertySource}, or {@code @DynamicPropertySource});
	 * {@code withPropertyValues("key=value")} would split these keys at their colon.
	 * @return the address map properties
	 */
	public Map<String, String> getAddressMapProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		IntStream.concat(dataPorts().stream().mapToInt(Integer::intValue),
				sentinelPorts().stream().mapToInt(Integer::intValue))
			.forEach((port) -> properties.put("ha.redis.sentinel.address-map[" + announced(port) + "]",
					reachable(port).toString()));
		return properties;
	}

	/**
	 * Ask the sentinels for the master, as they announce it.
	 * @return the announced master address
	 */
	public NodeAddress getMasterAnnouncedAddress() {
		for (int port : sentinelPorts()) {
			NodeAddress master = askSentinelForMaster(port);
			if (master != null) {
				return master;
			}
		}
		throw new IllegalStateException("No sentinel names a master '" + this.masterName + "'");
	}

	private @Nullable NodeAddress askSentinelForMaster(int sentinelPort) {
		try {
			List<?> address = (List<?>) command(sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.masterName);
			return (address != null)
					? new NodeAddress(String.valueOf(address.get(0)), Integer.parseInt(String.valueOf(address.get(1))))
					: null;
		}
		catch (RuntimeException ex) {
			// A stopped sentinel.
			return null;
		}
	}

	/**
	 * Return the master as the application reaches it.
	 * @return the reachable master address
	 */
	public NodeAddress getMasterAddress() {
		return reachable(getMasterAnnouncedAddress().port());
	}

	/**
	 * Kill the master's container ({@code SIGKILL}), as a crash would.
	 * @return the announced address of the killed master
	 */
	public NodeAddress killMaster() {
		NodeAddress master = awaitAgreedMaster(null, AGREEMENT_TIMEOUT);
		getDockerClient().killContainerCmd(dataNode(master).getContainerId()).exec();
		return master;
	}

	/**
	 * Freeze the master's container ({@code docker pause}): it keeps its connections but answers nothing, as a
	 * master stuck in a long pause or cut off by a partition.
	 * @return the announced address of the frozen master, for {@link #unpause(NodeAddress)}
	 */
	public NodeAddress pauseMaster() {
		NodeAddress master = awaitAgreedMaster(null, AGREEMENT_TIMEOUT);
		getDockerClient().pauseContainerCmd(dataNode(master).getContainerId()).exec();
		return master;
	}

	/**
	 * Resume a frozen server.
	 * @param announced its announced address, as {@link #pauseMaster()} returned it
	 */
	public void unpause(NodeAddress announced) {
		getDockerClient().unpauseContainerCmd(dataNode(announced).getContainerId()).exec();
	}

	/**
	 * Ask a sentinel for a manual failover ({@code SENTINEL FAILOVER}); the old master is demoted to a replica.
	 * @return the announced address of the master at the time of the request
	 */
	public NodeAddress failover() {
		NodeAddress master = awaitAgreedMaster(null, AGREEMENT_TIMEOUT);
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (true) {
			try {
				command(runningSentinelPort(), "SENTINEL", "FAILOVER", this.masterName);
				return master;
			}
			catch (RespConnection.RespErrorException ex) {
				String error = String.valueOf(ex.getMessage());
				if (error.contains("INPROG")) {
					// An earlier request (whose reply was lost) started it.
					return master;
				}
				// NOGOODSLAVE while a sentinel's last look at the replicas (refreshed every 10 s) is stale: ask again.
				if (!error.contains("NOGOODSLAVE") || System.nanoTime() > deadline) {
					throw ex;
				}
				pause(Duration.ofMillis(200));
			}
		}
	}

	/**
	 * Stop a sentinel's container ({@code docker stop}); {@link #startSentinel(int)} brings it back.
	 * @param index the sentinel, from 0
	 */
	public void stopSentinel(int index) {
		getDockerClient().stopContainerCmd(this.sentinelNodes.get(index).getContainerId()).withTimeout(1).exec();
	}

	/**
	 * Start a sentinel stopped by {@link #stopSentinel(int)}.
	 * @param index the sentinel, from 0
	 */
	public void startSentinel(int index) {
		getDockerClient().startContainerCmd(this.sentinelNodes.get(index).getContainerId()).exec();
		int port = FIRST_SENTINEL_PORT + index;
		awaitCondition("sentinel " + announced(port) + " to answer again", this.readyTimeout,
				() -> "PONG".equals(command(port, "PING")));
	}

	/**
	 * Wait until every sentinel that answers names the same master, other than {@code previous}, and that server
	 * answers {@code ROLE} as master.
	 * @param previous the announced address of the master before the fault
	 * @param timeout how long to wait
	 * @return the announced address of the new master
	 */
	public NodeAddress awaitNewMaster(NodeAddress previous, Duration timeout) {
		return awaitAgreedMaster(previous, timeout);
	}

	/**
	 * Wait until every sentinel that answers names the same master (other than {@code previous}, if given) and
	 * that server answers {@code ROLE} as master: a fault trigger acts on the master all agree on, not on what a
	 * sentinel just restarted, still catching up, names.
	 */
	private NodeAddress awaitAgreedMaster(@Nullable NodeAddress previous, Duration timeout) {
		NodeAddress[] found = new NodeAddress[1];
		String description = (previous != null) ? "the sentinels to agree on a new master other than " + previous
				: "the sentinels to agree on the master";
		awaitCondition(description, timeout, () -> {
			Set<NodeAddress> named = new HashSet<>();
			for (int port : sentinelPorts()) {
				NodeAddress master = askSentinelForMaster(port);
				if (master != null) {
					named.add(master);
				}
			}
			if (named.size() != 1 || named.contains(previous)) {
				return false;
			}
			NodeAddress master = named.iterator().next();
			List<?> role = (List<?>) command(master.port(), "ROLE");
			found[0] = master;
			return "master".equals(String.valueOf(role.get(0)));
		});
		return found[0];
	}

	/**
	 * Send a command to a server or sentinel of this topology, through its published port.
	 * @param announcedPort the port it announces (the container port)
	 * @param arguments the command
	 * @return the reply
	 */
	public @Nullable Object command(int announcedPort, String... arguments) {
		try (RespConnection connection = RespConnection.open(getMappedPort(announcedPort), COMMAND_TIMEOUT)) {
			return connection.command(arguments);
		}
	}

	@Override
	public void stop() {
		// Members first: they live in this container's network namespace.
		List<GenericContainer<?>> members = new ArrayList<>(this.sentinelNodes);
		members.addAll(this.dataNodes);
		for (GenericContainer<?> member : members) {
			try {
				member.stop();
			}
			catch (RuntimeException ex) {
				logger().warn("Could not stop {}: {}", member.getContainerId(), ex.getMessage());
			}
		}
		this.sentinelNodes.clear();
		this.dataNodes.clear();
		super.stop();
	}

	private GenericContainer<?> dataNode(NodeAddress announced) {
		int index = announced.port() - FIRST_DATA_PORT;
		if (index < 0 || index >= this.dataNodes.size()) {
			throw new IllegalArgumentException(announced + " is not a data node of this topology");
		}
		return this.dataNodes.get(index);
	}

	private int runningSentinelPort() {
		for (int i = 0; i < this.sentinelNodes.size(); i++) {
			GenericContainer<?> sentinel = this.sentinelNodes.get(i);
			Boolean running = getDockerClient().inspectContainerCmd(sentinel.getContainerId())
				.exec()
				.getState()
				.getRunning();
			if (Boolean.TRUE.equals(running)) {
				return FIRST_SENTINEL_PORT + i;
			}
		}
		throw new IllegalStateException("No sentinel is running");
	}

	private NodeAddress announced(int port) {
		return new NodeAddress(ANNOUNCED_HOST, port);
	}

	private NodeAddress reachable(int port) {
		return new NodeAddress("127.0.0.1", getMappedPort(port));
	}

	private List<Integer> dataPorts() {
		return IntStream.rangeClosed(0, this.replicas).mapToObj((i) -> FIRST_DATA_PORT + i).toList();
	}

	private List<Integer> sentinelPorts() {
		return IntStream.range(0, this.sentinels).mapToObj((i) -> FIRST_SENTINEL_PORT + i).toList();
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * A sentinel describes an instance as a flat list of names and values.
	 */
	private static Map<String, String> fields(Object reply) {
		List<?> flat = (List<?>) reply;
		Map<String, String> fields = new HashMap<>();
		for (int i = 0; i + 1 < flat.size(); i += 2) {
			fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
		}
		return fields;
	}

	private static void awaitCondition(String what, Duration timeout, Supplier<Boolean> condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		RuntimeException last = null;
		while (System.nanoTime() < deadline) {
			try {
				if (condition.get()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				last = ex;
			}
			pause(Duration.ofMillis(100));
		}
		throw new IllegalStateException("Timed out after " + timeout.toSeconds() + "s waiting for " + what
				+ Optional.ofNullable(last).map((ex) -> " (last error: " + ex.getMessage() + ")").orElse(""), last);
	}

}
