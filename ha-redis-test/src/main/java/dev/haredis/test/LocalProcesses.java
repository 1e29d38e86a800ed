package dev.haredis.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Process control of a {@link LocalSentinelTopology}: starts its servers and sentinels from the
 * {@link LocalConfigFiles config files}, knows which one is the master, waits until the sentinels agree, restarts
 * and resumes what faults stopped, and kills everything by PID at the end.
 */
final class LocalProcesses {

	static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private final LocalSentinelTopologyBuilder settings;

	private final LocalConfigFiles files;

	private final RedisServerBinary binary;

	private final List<RedisProcess> servers = new ArrayList<>();

	private final List<RedisProcess> sentinels = new ArrayList<>();

	private final List<RedisProcess> extras = new ArrayList<>();

	private final @Nullable LoopbackPartitions partitions;

	LocalProcesses(LocalSentinelTopologyBuilder settings, LocalConfigFiles files,
			@Nullable LoopbackPartitions partitions) {
		this.settings = settings;
		this.files = files;
		this.partitions = partitions;
		this.binary = settings.binary();
	}

	void startAll() {
		RedisProcess master = newServer("master", null);
		master.start();
		for (int i = 1; i <= this.settings.replicas(); i++) {
			newServer("replica-" + i, master).start();
		}
		for (int i = 1; i <= this.settings.sentinels(); i++) {
			newSentinel("sentinel-" + i, master).start();
		}
		awaitReady();
	}

	List<RedisProcess> servers() {
		return List.copyOf(this.servers);
	}

	List<RedisProcess> sentinels() {
		return List.copyOf(this.sentinels);
	}

	/**
	 * Start one more sentinel of the topology, monitoring the current master with the same settings.
	 */
	RedisProcess addSentinel() {
		RedisProcess sentinel = newSentinel("sentinel-" + (this.sentinels.size() + 1), master());
		sentinel.start();
		return sentinel;
	}

	/**
	 * Start a sentinel outside the topology, and the isolated replica it monitors under {@code masterName}.
	 */
	RedisProcess startOutsideSentinel(String masterName) {
		int index = this.extras.size() + 1;
		int serverPort = LocalPorts.unused();
		RedisProcess server = new RedisProcess("extra-server-" + index, false, serverPort,
				this.files.isolatedReplica("extra-server-" + index, serverPort), this.binary, this.settings.password(),
				this.files.dataSocketFactory(), List.of(), null);
		this.extras.add(server);
		server.start();
		int sentinelPort = LocalPorts.unused();
		RedisProcess sentinel = new RedisProcess("extra-sentinel-" + index, true, sentinelPort,
				this.files.outsideSentinel("extra-sentinel-" + index, sentinelPort, masterName, serverPort),
				this.binary, this.settings.sentinelPassword(), this.files.sentinelSocketFactory(), List.of(), null);
		this.extras.add(sentinel);
		sentinel.start();
		return sentinel;
	}

	private RedisProcess newServer(String name, @Nullable RedisProcess master) {
		int port = LocalPorts.unused();
		RedisProcess server = new RedisProcess(name, false, port,
				this.files.server(name, port, (master != null) ? master.port() : null), this.binary,
				this.settings.password(), this.files.dataSocketFactory(), launchPrefix(port), sourceAddress());
		this.servers.add(server);
		return server;
	}

	private RedisProcess newSentinel(String name, RedisProcess master) {
		int port = LocalPorts.unused();
		RedisProcess sentinel = new RedisProcess(name, true, port, this.files.sentinel(name, port, master.port()),
				this.binary, this.settings.sentinelPassword(), this.files.sentinelSocketFactory(), launchPrefix(port),
				sourceAddress());
		this.sentinels.add(sentinel);
		return sentinel;
	}

	private List<String> launchPrefix(int port) {
		return (this.partitions != null) ? this.partitions.launchPrefix(port) : List.of();
	}

	private @Nullable String sourceAddress() {
		return (this.partitions != null) ? LoopbackPartitions.TEST_SOURCE_ADDRESS : null;
	}

	/**
	 * Return the data node the sentinels currently name as master and that reports the master role itself.
	 */
	RedisProcess master() {
		return awaitValue("a role-verified master", READY_TIMEOUT, this::verifiedMaster);
	}

	RedisProcess awaitNewMaster(RedisProcess previous, Duration timeout) {
		return awaitValue("a new master other than " + previous, timeout,
				() -> verifiedMaster().filter((master) -> master != previous));
	}

	/**
	 * Restart stopped processes, resume frozen ones and wait until every sentinel agrees on a role-verified master
	 * and knows every replica and sentinel.
	 */
	void restore() {
		Stream.concat(this.servers.stream(), this.sentinels.stream()).forEach((process) -> {
			if (!process.isAlive()) {
				process.start();
			}
			else {
				process.unfreeze();
			}
		});
		awaitReady();
	}

	private void awaitReady() {
		RedisProcess master = awaitValue("every sentinel to agree on a master with " + this.settings.replicas()
				+ " replica(s) and " + (this.sentinels.size() - 1) + " other sentinel(s)", READY_TIMEOUT,
				this::readyMaster);
		// A replica reports its link up before its master streams to it: after a full resynchronisation Redis 7.0
		// waits for the replica's next once-a-second REPLCONF ACK, and a failover in between loses every write
		// taken meanwhile. A test starts once every replica has acknowledged a write.
		awaitValue("every replica to acknowledge a write on " + master, READY_TIMEOUT,
				() -> replicated(master) ? Optional.of(master) : Optional.empty());
	}

	private boolean replicated(RedisProcess master) {
		try {
			return master.inSession(
					(connection) -> connection.acknowledgedBy(this.settings.replicas(), Duration.ofSeconds(1)));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private Optional<RedisProcess> readyMaster() {
		Optional<RedisProcess> master = verifiedMaster();
		if (master.isEmpty()) {
			return Optional.empty();
		}
		for (RedisProcess sentinel : this.sentinels) {
			Map<String, String> state = sentinelMasterState(sentinel);
			boolean agrees = Objects.equals(state.get("port"), Integer.toString(master.get().port()))
					&& !state.getOrDefault("flags", "").contains("down")
					&& Objects.equals(state.get("num-slaves"), Integer.toString(this.settings.replicas()))
					&& Objects.equals(state.get("num-other-sentinels"), Integer.toString(this.sentinels.size() - 1))
					&& onlineReplicas(sentinel) == this.settings.replicas();
			if (!agrees) {
				return Optional.empty();
			}
		}
		for (RedisProcess server : this.servers) {
			if (server != master.get() && !replicaLinkUp(server)) {
				return Optional.empty();
			}
		}
		return master;
	}

	private static boolean replicaLinkUp(RedisProcess replica) {
		try {
			Object info = replica.command("INFO", "replication");
			return String.valueOf(info).contains("master_link_status:up");
		}
		catch (RuntimeException ex) {
			// A sentinel turning a restarted master into a replica kills its clients (CLIENT KILL TYPE normal).
			return false;
		}
	}

	private Optional<RedisProcess> verifiedMaster() {
		for (RedisProcess sentinel : this.sentinels) {
			try {
				Object reply = sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.settings.masterName());
				if (reply instanceof List<?> address && address.size() == 2) {
					int port = Integer.parseInt(String.valueOf(address.get(1)));
					Optional<RedisProcess> server = this.servers.stream()
						.filter((candidate) -> candidate.port() == port && candidate.isAlive())
						.findFirst();
					if (server.isPresent() && "master".equals(server.get().role())) {
						return server;
					}
				}
			}
			catch (RuntimeException ex) {
				// this sentinel or the server it names is down or frozen: ask the next one
			}
		}
		return Optional.empty();
	}

	private Map<String, String> sentinelMasterState(RedisProcess sentinel) {
		try {
			return SentinelReplies.fields(sentinel.command("SENTINEL", "MASTER", this.settings.masterName()));
		}
		catch (RuntimeException ex) {
			return Map.of();
		}
	}

	private long onlineReplicas(RedisProcess sentinel) {
		try {
			return SentinelReplies
				.onlineReplicas(sentinel.command("SENTINEL", "REPLICAS", this.settings.masterName()));
		}
		catch (RuntimeException ex) {
			return 0;
		}
	}

	private <T> T awaitValue(String description, Duration timeout, Supplier<Optional<T>> probe) {
		return ProcessWait.until(description, timeout,
				Stream.concat(this.servers.stream(), this.sentinels.stream()).toList(), probe);
	}

	/**
	 * Kill every process (SIGKILL by PID).
	 */
	void killAll() {
		Stream.of(this.extras, this.sentinels, this.servers).flatMap(List::stream).forEach(RedisProcess::kill);
	}

}
