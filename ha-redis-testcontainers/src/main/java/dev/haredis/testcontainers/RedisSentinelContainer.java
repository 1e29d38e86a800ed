package dev.haredis.testcontainers;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.command.InspectContainerResponse;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import dev.haredis.test.FailoverTopology;
import dev.haredis.test.FailoverPartitions;
import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * A Redis master, replicas and sentinels in containers, deployed the way Docker deployments break Sentinel clients:
 * the servers share one network namespace and announce addresses valid only inside it ({@value #ANNOUNCED_HOST}
 * and the container ports), while the application reaches them through ports published on the Docker host's
 * loopback. {@link #getAddressMap()} maps one to the other; without it the master the sentinels name cannot be
 * reached, as behind any port mapping or NAT.
 * <p>
 * This container owns the namespace and the published ports; starting it starts the members and waits until the
 * sentinels know every replica and each other. As a {@link FailoverTopology} (data nodes named by their announced
 * address) it kills, freezes, fails over, {@linkplain #partitions() partitions} and restores; with
 * {@code @ServiceConnection} it configures ha-redis in a {@code @SpringBootTest}. Needs a local Docker engine (not
 * a remote {@code DOCKER_HOST}). {@link SentinelContainerLayout} holds the settings, ports and command lines,
 * {@link SentinelContainerMembers} the member containers, {@link SentinelContainerFaults} the faults and waits.
 */
public class RedisSentinelContainer extends GenericContainer<RedisSentinelContainer>
		implements FailoverTopology<NodeAddress> {

	/** The host the servers announce: their loopback in their namespace; nothing listens there on the host. */
	public static final String ANNOUNCED_HOST = "127.0.0.2";

	/** The master name the sentinels monitor unless told otherwise. */
	public static final String DEFAULT_MASTER_NAME = "mymaster";

	private final SentinelContainerLayout layout = new SentinelContainerLayout();

	private final SentinelContainerMembers members;

	private final SentinelContainerConnections connections = new SentinelContainerConnections(this::getMappedPort);

	private final SentinelContainerFaults faults;

	private final ContainerPartitions partitions;

	/**
	 * Create a topology of containers of a Redis image: an official one such as {@code redis:7.4}, or one built by
	 * {@link LocalRedisImage} where no registry is reachable.
	 * @param redisImage the image; it must have {@code redis-server} on its {@code PATH}
	 */
	public RedisSentinelContainer(DockerImageName redisImage) {
		super(redisImage);
		this.members = new SentinelContainerMembers(this.layout, redisImage, getDockerClient());
		this.faults = new SentinelContainerFaults(this.layout, this.members, this.connections);
		this.partitions = new ContainerPartitions(this.layout, this.faults,
				() -> getContainerInfo().getState().getPidLong(), this::getMappedPort);
	}

	/**
	 * Set the master name.
	 * @param masterName the name the sentinels monitor the master under
	 * @return this container
	 */
	public RedisSentinelContainer withMasterName(String masterName) {
		this.layout.masterName = masterName;
		return self();
	}

	/**
	 * Set the number of replicas.
	 * @param replicas how many replicas (at least 1, for a failover to have a candidate)
	 * @return this container
	 */
	public RedisSentinelContainer withReplicas(int replicas) {
		this.layout.replicas(replicas);
		return self();
	}

	/**
	 * Set the number of sentinels and the quorum.
	 * @param sentinels how many sentinels (an odd number, at least 3, for a majority to survive one loss)
	 * @param quorum how many must agree the master is down
	 * @return this container
	 */
	public RedisSentinelContainer withSentinels(int sentinels, int quorum) {
		this.layout.sentinels(sentinels, quorum);
		return self();
	}

	/**
	 * Set how long the master must be unreachable before a sentinel thinks it down.
	 * @param downAfter {@code down-after-milliseconds}
	 * @return this container
	 */
	public RedisSentinelContainer withDownAfter(Duration downAfter) {
		this.layout.downAfter = downAfter;
		return self();
	}

	/**
	 * Set the sentinels' failover timeout.
	 * @param failoverTimeout {@code failover-timeout}
	 * @return this container
	 */
	public RedisSentinelContainer withFailoverTimeout(Duration failoverTimeout) {
		this.layout.failoverTimeout = failoverTimeout;
		return self();
	}

	@Override
	protected void configure() {
		withExposedPorts(this.layout.allPorts().toArray(Integer[]::new));
		// The namespace holder is a Redis server itself, on a port nobody uses, so the image needs nothing else.
		withCreateContainerCmdModifier(this.layout::publishOnLoopback);
		setCommand("--port", Integer.toString(SentinelContainerLayout.HOLDER_PORT), "--save", "", "--appendonly", "no");
		waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
	}

	@Override
	protected void containerIsStarted(InspectContainerResponse containerInfo) {
		this.members.start(getContainerId());
		this.faults.awaitReady();
	}

	/**
	 * Return the master name the sentinels monitor.
	 * @return the master name
	 */
	public String getMasterName() {
		return this.layout.masterName;
	}

	@Override
	public String masterName() {
		return getMasterName();
	}

	/**
	 * Return the sentinels as this application reaches them (published ports on the Docker host).
	 * @return the sentinel addresses
	 */
	public List<NodeAddress> getSentinelAddresses() {
		return this.layout.sentinelPorts().stream().map(this::reachable).toList();
	}

	/**
	 * Return the sentinels as {@code host:port,host:port}, for {@code ha.redis.sentinel.nodes}.
	 * @return the sentinel nodes
	 */
	public String getSentinelNodes() {
		return String.join(",", getSentinelAddresses().stream().map(NodeAddress::toString).toList());
	}

	@Override
	public String sentinelNodes() {
		return getSentinelNodes();
	}

	@Override
	public Map<String, String> applicationProperties() {
		Map<String, String> properties = FailoverTopology.super.applicationProperties();
		properties.putAll(getAddressMapProperties());
		return properties;
	}

	/**
	 * Return the map from each address the servers and sentinels announce to the published address the
	 * application can reach; {@code ha.redis.sentinel.address-map} in property form.
	 * @return the address map
	 */
	public AddressMap getAddressMap() {
		return this.layout.addressMap(this::reachable);
	}

	/**
	 * Return {@link #getAddressMap()} as {@code ha.redis.sentinel.address-map[announced]=reachable} properties, for
	 * a property source ({@code withPropertyValues("key=value")} would split these keys at their colon).
	 * @return the address map properties
	 */
	public Map<String, String> getAddressMapProperties() {
		return this.layout.addressMapProperties(this::reachable);
	}

	/** @return the master as the sentinels announce it (the first that answers) */
	public NodeAddress getMasterAnnouncedAddress() {
		return this.faults.announcedMaster();
	}

	public NodeAddress getMasterAddress() {
		return reachable(getMasterAnnouncedAddress().port());
	}

	@Override
	public NodeAddress master() {
		return this.faults.awaitAgreedMaster(null, this.layout.readyTimeout);
	}

	@Override
	public String masterAddress() {
		return address(master());
	}

	@Override
	public String address(NodeAddress announced) {
		return reachable(announced.port()).toString();
	}

	@Override
	public NodeAddress killMaster() {
		return this.faults.killMaster();
	}

	@Override
	public NodeAddress freezeMaster() {
		return this.faults.freezeMaster();
	}

	@Override
	public void unfreeze(NodeAddress announced) {
		this.members.unpause(announced);
	}

	@Override
	public NodeAddress failover() {
		return this.faults.failover();
	}

	/**
	 * Stop a sentinel's container ({@code docker stop}); {@link #startSentinel(int)} or {@link #restore()} brings
	 * it back.
	 * @param index the sentinel, from 0
	 */
	public void stopSentinel(int index) {
		this.members.stopSentinel(index);
	}

	/**
	 * Start a sentinel stopped by {@link #stopSentinel(int)}.
	 * @param index the sentinel, from 0
	 */
	public void startSentinel(int index) {
		this.members.startSentinel(index);
		this.faults.awaitSentinelAnswers(SentinelContainerLayout.FIRST_SENTINEL_PORT + index);
	}

	@Override
	public FailoverPartitions<NodeAddress> partitions() {
		return this.partitions;
	}

	@Override
	public NodeAddress awaitNewMaster(NodeAddress previous, Duration timeout) {
		return this.faults.awaitAgreedMaster(previous, timeout);
	}

	@Override
	public void restore() {
		this.partitions.heal();
		this.members.resumeAll();
		this.faults.awaitRestored();
	}

	/**
	 * Send a command to a server or sentinel of this topology, through its published port.
	 * @param announcedPort the port it announces (the container port)
	 * @param arguments the command
	 * @return the reply
	 */
	public @Nullable Object command(int announcedPort, String... arguments) {
		return this.connections.command(announcedPort, arguments);
	}

	@Override
	public @Nullable Object command(NodeAddress announced, String... arguments) {
		return command(announced.port(), arguments);
	}

	@Override
	public void stop() {
		// Members first: they live in this container's network namespace.
		try {
			this.partitions.close();
		}
		finally {
			this.members.stopAll();
			super.stop();
		}
	}

	private NodeAddress reachable(int port) {
		return new NodeAddress("127.0.0.1", getMappedPort(port));
	}

}
