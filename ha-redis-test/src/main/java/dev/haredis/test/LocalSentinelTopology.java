package dev.haredis.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A real Redis master, replicas and sentinels on 127.0.0.1 with free ports, started as processes and stopped by
 * PID. Each fault a failover test needs has a trigger here: {@link #killMaster()}, {@link #freezeMaster()},
 * {@link #failover()}, and {@link #awaitNewMaster(RedisProcess, Duration)} waits for the sentinels to move on. As a
 * {@link FailoverTopology}, it runs the same failover tests as the containers of {@code ha-redis-testcontainers}.
 * <p>
 * The work is shared out: {@link LocalSentinelTopologyBuilder} holds the settings, {@link LocalConfigFiles} writes
 * them as config files, {@link LocalProcesses} starts, watches and stops the processes, {@link LocalFaults} injects
 * the faults, {@link LocalPartitions} the partitions.
 *
 * <pre class="code">
 * try (LocalSentinelTopology topology = LocalSentinelTopology.builder().start()) {
 *     String nodes = topology.sentinelNodes(); // "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3"
 * }
 * </pre>
 */
public final class LocalSentinelTopology implements FailoverTopology<RedisProcess>, AutoCloseable {

	private final LocalSentinelTopologyBuilder settings;

	private final LocalConfigFiles files;

	private final LocalProcesses processes;

	private final LocalFaults faults;

	private final LocalPartitions partitions;

	private LocalSentinelTopology(LocalSentinelTopologyBuilder settings) {
		this.settings = settings;
		this.files = new LocalConfigFiles(settings);
		LoopbackPartitions loopback = settings.isPartitionable() ? LoopbackPartitions.create() : null;
		this.processes = new LocalProcesses(settings, this.files, loopback);
		this.faults = new LocalFaults(this.processes, settings.masterName(), loopback);
		this.partitions = new LocalPartitions(this.faults, loopback);
	}

	/**
	 * Return a builder with the defaults: master {@code mymaster}, one replica, three sentinels, quorum 2,
	 * {@code down-after-milliseconds} 2000, no passwords.
	 * @return a new builder
	 */
	public static LocalSentinelTopologyBuilder builder() {
		return new LocalSentinelTopologyBuilder();
	}

	static LocalSentinelTopology start(LocalSentinelTopologyBuilder settings) {
		LocalSentinelTopology topology = new LocalSentinelTopology(settings);
		try {
			topology.processes.startAll();
			return topology;
		}
		catch (RuntimeException ex) {
			topology.close();
			throw ex;
		}
	}

	/**
	 * Start a sentinel outside this topology that monitors, under {@code masterName}, an isolated server reporting
	 * the replica role. Under this topology's master name it answers like a stale sentinel left behind by a
	 * failover; under another name it is a sentinel that does not know this topology's master. The real sentinels
	 * never hear of it. It is stopped with the topology.
	 * @param masterName the name it monitors its server under
	 * @return the extra sentinel
	 */
	public RedisProcess startExtraSentinel(String masterName) {
		return this.processes.startOutsideSentinel(masterName);
	}

	/**
	 * Start one more sentinel of this topology, monitoring the current master with the same settings: the other
	 * sentinels learn it from its hello messages ({@code +sentinel}) and it learns them. It counts among
	 * {@link #sentinels()} from now on.
	 * @return the new sentinel, named {@code sentinel-<n>}
	 */
	public RedisProcess addSentinel() {
		return this.processes.addSentinel();
	}

	/**
	 * Announce a sentinel to the real ones the way sentinels find each other: a hello message
	 * ({@code ip,port,runid,current_epoch,master_name,master_ip,master_port,master_config_epoch}) published on the
	 * master's {@code __sentinel__:hello} channel. It names the current master with epochs 0, so the real sentinels
	 * add the announced sentinel ({@code +sentinel}, listed by {@code SENTINEL SENTINELS}) and keep their own view of
	 * the master; a newer {@code master_config_epoch} would move them to the address it names.
	 * @param port the port, on 127.0.0.1, of the sentinel announced
	 * @param runId its run id (40 characters, as real ones)
	 */
	public void announceSentinel(int port, String runId) {
		this.faults.announceSentinel(port, runId);
	}

	/**
	 * Return how many other sentinels a sentinel of this topology lists for the master ({@code SENTINEL SENTINELS}).
	 * @param sentinel one of {@link #sentinels()}
	 * @return the number of other sentinels it knows
	 */
	public int sentinelsKnownBy(RedisProcess sentinel) {
		return ((List<?>) Objects.requireNonNull(sentinel.command("SENTINEL", "SENTINELS", masterName()))).size();
	}

	@Override
	public String masterName() {
		return this.settings.masterName();
	}

	/**
	 * Return the data nodes (master and replicas), in start order.
	 * @return the data nodes
	 */
	public List<RedisProcess> servers() {
		return this.processes.servers();
	}

	/**
	 * Return the sentinels, in start order.
	 * @return the sentinels
	 */
	public List<RedisProcess> sentinels() {
		return this.processes.sentinels();
	}

	/**
	 * Return the sentinel addresses as {@code host:port} strings.
	 * @return the sentinel addresses
	 */
	public List<String> sentinelAddresses() {
		return sentinels().stream().map(RedisProcess::address).toList();
	}

	/**
	 * Return the sentinel addresses joined with commas, the form {@code ha.redis.sentinel.nodes} takes:
	 * {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}.
	 * @return the sentinel nodes
	 */
	@Override
	public String sentinelNodes() {
		return String.join(",", sentinelAddresses());
	}

	/**
	 * Return the sentinel nodes under another name for this host, such as {@code localhost}: the sentinels announce
	 * each other as {@code 127.0.0.1}, so every address the application learns from them differs from the ones it
	 * was given.
	 * @param host the host name to use
	 * @return the sentinel nodes
	 */
	public String sentinelNodes(String host) {
		return String.join(",", sentinels().stream().map((sentinel) -> host + ":" + sentinel.port()).toList());
	}

	/**
	 * Return the master name, the sentinel nodes and the passwords set, as {@code ha.redis.*} properties. With TLS,
	 * the application also needs an SSL bundle that trusts {@link #tlsCaCertificate()}.
	 * @return the properties
	 */
	@Override
	public Map<String, String> applicationProperties() {
		Map<String, String> properties = FailoverTopology.super.applicationProperties();
		if (password() != null) {
			properties.put("ha.redis.password", password());
		}
		if (sentinelPassword() != null) {
			properties.put("ha.redis.sentinel.password", sentinelPassword());
		}
		return properties;
	}

	/**
	 * Return the PEM file of the CA that signed the servers' certificates (every {@link TestCertificate}), for a
	 * client trust store ({@code spring.ssl.bundle.pem.<name>.truststore.certificate=file:...}).
	 * @return the CA certificate file
	 * @throws IllegalStateException when the topology does not use TLS
	 */
	public Path tlsCaCertificate() {
		Path certificate = this.files.tlsCaCertificate();
		if (certificate == null) {
			throw new IllegalStateException("This topology does not use TLS; build it with tls(), "
					+ "dataNodeTls(...) or sentinelTls(...)");
		}
		return certificate;
	}

	/**
	 * Return the data password, if any.
	 * @return the password or {@code null}
	 */
	public @Nullable String password() {
		return this.settings.password();
	}

	/**
	 * Return the sentinel password, if any.
	 * @return the password or {@code null}
	 */
	public @Nullable String sentinelPassword() {
		return this.settings.sentinelPassword();
	}

	@Override
	public RedisProcess master() {
		return this.processes.master();
	}

	@Override
	public String masterAddress() {
		return master().address();
	}

	@Override
	public String address(RedisProcess node) {
		return node.address();
	}

	/**
	 * Return the data nodes other than the current master.
	 * @return the replicas
	 */
	public List<RedisProcess> replicas() {
		RedisProcess master = master();
		return servers().stream().filter((server) -> server != master).toList();
	}

	/**
	 * Kill the current master with SIGKILL.
	 * @return the killed process, to restart or compare later
	 */
	@Override
	public RedisProcess killMaster() {
		return this.faults.killMaster();
	}

	/**
	 * Freeze the current master with SIGSTOP.
	 * @return the frozen process
	 */
	@Override
	public RedisProcess freezeMaster() {
		return this.faults.freezeMaster();
	}

	@Override
	public void unfreeze(RedisProcess node) {
		node.unfreeze();
	}

	@Override
	public RedisProcess failover() {
		return this.faults.failover();
	}

	/** Return the partitions of this topology (built {@link LocalSentinelTopologyBuilder#partitionable()}). */
	@Override
	public LocalPartitions partitions() {
		return this.partitions;
	}

	@Override
	public RedisProcess awaitNewMaster(RedisProcess previous, Duration timeout) {
		return this.processes.awaitNewMaster(previous, timeout);
	}

	/**
	 * Bring the topology back to full health after faults: restart stopped processes (sentinels too), resume
	 * frozen ones and wait until every sentinel agrees on a role-verified master and knows every replica and
	 * sentinel.
	 */
	@Override
	public void restore() {
		this.partitions.heal();
		this.processes.restore();
	}

	@Override
	public @Nullable Object command(RedisProcess node, String... arguments) {
		return node.command(arguments);
	}

	/**
	 * Kill every process (SIGKILL by PID) and delete the working directory.
	 */
	@Override
	public void close() {
		this.processes.killAll();
		this.partitions.close();
		this.files.delete();
	}

}
