package dev.haredis.testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;

import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * The configuration of a {@link RedisSentinelContainer}: its settings (set through its {@code with...} methods),
 * the ports its servers and sentinels listen on in the shared network namespace, and their command lines and
 * config files.
 */
final class SentinelContainerLayout {

	/** The port of the namespace holder's own server, which nothing uses. */
	static final int HOLDER_PORT = 16000;

	// Not Redis's default ports: on Linux all of 127.0.0.0/8 is local, so a developer's own Redis listening on
	// *:6379 would answer at 127.0.0.2:6379, and a test without the map would find it instead of nothing.
	static final int FIRST_DATA_PORT = 16379;

	static final int FIRST_SENTINEL_PORT = 16479;

	String masterName = RedisSentinelContainer.DEFAULT_MASTER_NAME;

	int replicas = 1;

	int sentinels = 3;

	int quorum = 2;

	Duration downAfter = Duration.ofSeconds(2);

	Duration failoverTimeout = Duration.ofSeconds(10);

	Duration readyTimeout = Duration.ofSeconds(60);

	void replicas(int replicas) {
		if (replicas < 1) {
			throw new IllegalArgumentException("A failover needs at least one replica, was " + replicas);
		}
		this.replicas = replicas;
	}

	void sentinels(int sentinels, int quorum) {
		if (sentinels < 1 || quorum < 1 || quorum > sentinels) {
			throw new IllegalArgumentException("Need 1 <= quorum <= sentinels, was quorum " + quorum + " of " + sentinels);
		}
		this.sentinels = sentinels;
		this.quorum = quorum;
	}

	List<Integer> dataPorts() {
		return IntStream.rangeClosed(0, this.replicas).mapToObj((i) -> FIRST_DATA_PORT + i).toList();
	}

	List<Integer> sentinelPorts() {
		return IntStream.range(0, this.sentinels).mapToObj((i) -> FIRST_SENTINEL_PORT + i).toList();
	}

	List<Integer> allPorts() {
		List<Integer> ports = new ArrayList<>(dataPorts());
		ports.addAll(sentinelPorts());
		return ports;
	}

	/**
	 * Make the namespace holder run {@code redis-server} and publish every port on the Docker host's 127.0.0.1 only.
	 */
	void publishOnLoopback(CreateContainerCmd command) {
		publishOnLoopback(command, allPorts());
	}

	/**
	 * Make a namespace holder run {@code redis-server} and publish the given ports on the Docker host's 127.0.0.1
	 * only (the sentinel topology's and the cluster's).
	 */
	static void publishOnLoopback(CreateContainerCmd command, List<Integer> ports) {
		command.withEntrypoint("redis-server");
		List<PortBinding> bindings = ports.stream()
			.map((port) -> new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(port)))
			.toList();
		Objects.requireNonNull(command.getHostConfig()).withPublishAllPorts(false).withPortBindings(bindings);
	}

	/**
	 * Return the index of the data node that listens on an announced address.
	 */
	int dataNodeIndex(NodeAddress announced) {
		int index = announced.port() - FIRST_DATA_PORT;
		if (index < 0 || index > this.replicas) {
			throw new IllegalArgumentException(announced + " is not a data node of this topology");
		}
		return index;
	}

	/**
	 * Return the map from every announced address to the one the application reaches.
	 */
	AddressMap addressMap(IntFunction<NodeAddress> reachable) {
		AddressMap.Builder builder = AddressMap.builder();
		allPorts().forEach((port) -> builder.address(announced(port), reachable.apply(port)));
		return builder.build();
	}

	/**
	 * Return {@link #addressMap(IntFunction)} as {@code ha.redis.sentinel.address-map[...]} properties.
	 */
	Map<String, String> addressMapProperties(IntFunction<NodeAddress> reachable) {
		Map<String, String> properties = new LinkedHashMap<>();
		allPorts().forEach((port) -> properties.put("ha.redis.sentinel.address-map[" + announced(port) + "]",
				reachable.apply(port).toString()));
		return properties;
	}

	NodeAddress announced(int port) {
		return new NodeAddress(RedisSentinelContainer.ANNOUNCED_HOST, port);
	}

	/**
	 * Return the command line of a data node: the first is the master, the others replicate it.
	 */
	String[] dataNodeArguments(int index) {
		List<String> arguments = new ArrayList<>(List.of("--port", Integer.toString(FIRST_DATA_PORT + index), "--save",
				"", "--appendonly", "no", "--protected-mode", "no", "--replica-announce-ip",
				RedisSentinelContainer.ANNOUNCED_HOST));
		if (index > 0) {
			arguments.addAll(
					List.of("--replicaof", RedisSentinelContainer.ANNOUNCED_HOST, Integer.toString(FIRST_DATA_PORT)));
		}
		return arguments.toArray(String[]::new);
	}

	/**
	 * Return the config file of a sentinel.
	 */
	String sentinelConfiguration(int index) {
		return String.join("\n", "port " + (FIRST_SENTINEL_PORT + index), "protected-mode no",
				"sentinel announce-ip " + RedisSentinelContainer.ANNOUNCED_HOST,
				"sentinel monitor " + this.masterName + " " + RedisSentinelContainer.ANNOUNCED_HOST + " "
						+ FIRST_DATA_PORT + " " + this.quorum,
				"sentinel down-after-milliseconds " + this.masterName + " " + this.downAfter.toMillis(),
				"sentinel failover-timeout " + this.masterName + " " + this.failoverTimeout.toMillis(),
				"sentinel parallel-syncs " + this.masterName + " 1", "");
	}

}
