package dev.haredis.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Settings for a {@link LocalSentinelTopology}, from {@link LocalSentinelTopology#builder()}. A setting here is
 * turned into config-file lines by {@link LocalConfigFiles}.
 */
public final class LocalSentinelTopologyBuilder {

	private String masterName = "mymaster";

	private int replicas = 1;

	private int sentinels = 3;

	private int quorum = 2;

	private Duration downAfter = Duration.ofSeconds(2);

	private Duration failoverTimeout = Duration.ofSeconds(10);

	private @Nullable String password;

	private @Nullable String sentinelPassword;

	private @Nullable RedisServerBinary binary;

	private @Nullable TestCertificate dataTls;

	private @Nullable TestCertificate sentinelTls;

	private final Map<String, String> announcedIps = new LinkedHashMap<>();

	private final Map<String, List<String>> serverConfig = new LinkedHashMap<>();

	private boolean partitionable;

	LocalSentinelTopologyBuilder() {
	}

	/**
	 * Start every process in a cgroup of its own so that {@link LocalSentinelTopology#partitions()} can cut it off
	 * with iptables rules on the loopback interface ({@link LoopbackPartitions}: root and iptables needed); the
	 * topology's own commands then come from {@code 127.0.0.2}.
	 * @return this builder
	 * @throws IllegalStateException on {@link #start()} when partitions cannot be made here, with the reason
	 */
	public LocalSentinelTopologyBuilder partitionable() {
		this.partitionable = true;
		return this;
	}

	boolean isPartitionable() {
		return this.partitionable;
	}

	/**
	 * Serve data nodes and sentinels over TLS only (replication too), with the test certificates shipped in
	 * this module: a server certificate for 127.0.0.1 signed by {@link LocalSentinelTopology#tlsCaCertificate() a
	 * test CA}.
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder tls() {
		return dataNodeTls(TestCertificate.LOCALHOST).sentinelTls(TestCertificate.LOCALHOST);
	}

	/**
	 * Serve the data nodes over TLS only (replication too) with the given certificate. Alone, the sentinels
	 * stay plain for their clients and reach the data nodes (and each other, on a second port) over TLS.
	 * @param certificate the data nodes' certificate
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder dataNodeTls(TestCertificate certificate) {
		this.dataTls = certificate;
		return this;
	}

	/**
	 * Serve the sentinels' clients over TLS with the given certificate. Alone, the data nodes stay plain and
	 * the sentinels reach them (and each other, on a second port) in plain text.
	 * @param certificate the sentinels' certificate
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder sentinelTls(TestCertificate certificate) {
		this.sentinelTls = certificate;
		return this;
	}

	/**
	 * Set the master name the sentinels monitor.
	 * @param masterName the master name
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder masterName(String masterName) {
		this.masterName = masterName;
		return this;
	}

	/**
	 * Set the number of replicas.
	 * @param replicas the number of replicas
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder replicas(int replicas) {
		this.replicas = replicas;
		return this;
	}

	/**
	 * Set the number of sentinels and the quorum.
	 * @param sentinels the number of sentinels
	 * @param quorum how many sentinels must agree the master is down
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder sentinels(int sentinels, int quorum) {
		this.sentinels = sentinels;
		this.quorum = quorum;
		return this;
	}

	/**
	 * Set {@code down-after-milliseconds}.
	 * @param downAfter how long a master may be silent before it is considered down
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder downAfter(Duration downAfter) {
		this.downAfter = downAfter;
		return this;
	}

	/**
	 * Set {@code failover-timeout}.
	 * @param failoverTimeout the failover timeout
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder failoverTimeout(Duration failoverTimeout) {
		this.failoverTimeout = failoverTimeout;
		return this;
	}

	/**
	 * Protect the data nodes with {@code requirepass} (sentinels get it as {@code auth-pass}).
	 * @param password the data password
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder password(String password) {
		this.password = password;
		return this;
	}

	/**
	 * Protect the sentinels with {@code requirepass} (and {@code sentinel-pass} between themselves).
	 * @param sentinelPassword the sentinel password
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder sentinelPassword(String sentinelPassword) {
		this.sentinelPassword = sentinelPassword;
		return this;
	}

	/**
	 * Make one process announce another IP than the 127.0.0.1 it listens on, as behind NAT: a data node
	 * ({@code master}, {@code replica-<n>}) through {@code replica-announce-ip}, a sentinel
	 * ({@code sentinel-<n>}) through {@code sentinel announce-ip}. Use an address in 127.0.0.0/8 where nothing
	 * listens: the other sentinels then cannot reach that process under its announced address.
	 * @param processName the process, as {@link RedisProcess#name()} names it
	 * @param ip the IP it announces
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder announceIp(String processName, String ip) {
		this.announcedIps.put(processName, ip);
		return this;
	}

	/**
	 * Add lines to a data node's {@code redis.conf} ({@code master}, {@code replica-<n>}), for example
	 * {@code rename-command SLAVEOF ""}. They win over the topology's own lines: one with the same directive
	 * and leading arguments (all but the last) replaces it, any other comes after them. The file is kept for
	 * restarts.
	 * @param processName the data node, as {@link RedisProcess#name()} names it
	 * @param redisConfLines the lines, each a directive and at least one argument
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder serverConfig(String processName, String... redisConfLines) {
		for (String line : redisConfLines) {
			if (line.strip().indexOf(' ') < 0) {
				throw new IllegalArgumentException("'" + line + "' is not a directive with arguments");
			}
		}
		this.serverConfig.computeIfAbsent(processName, (name) -> new ArrayList<>()).addAll(List.of(redisConfLines));
		return this;
	}

	/**
	 * Use this binary instead of {@link RedisServerBinary#locate()}.
	 * @param binary the binary
	 * @return this builder
	 */
	public LocalSentinelTopologyBuilder binary(RedisServerBinary binary) {
		this.binary = binary;
		return this;
	}

	/**
	 * Start the topology and wait until the sentinels agree on the master and know every replica and each
	 * other. On failure, everything started so far is stopped.
	 * @return the running topology
	 */
	public LocalSentinelTopology start() {
		return LocalSentinelTopology.start(this);
	}

	String masterName() {
		return this.masterName;
	}

	int replicas() {
		return this.replicas;
	}

	int sentinels() {
		return this.sentinels;
	}

	int quorum() {
		return this.quorum;
	}

	Duration downAfter() {
		return this.downAfter;
	}

	Duration failoverTimeout() {
		return this.failoverTimeout;
	}

	@Nullable String password() {
		return this.password;
	}

	@Nullable String sentinelPassword() {
		return this.sentinelPassword;
	}

	RedisServerBinary binary() {
		return (this.binary != null) ? this.binary : RedisServerBinary.locate();
	}

	@Nullable TestCertificate dataTls() {
		return this.dataTls;
	}

	@Nullable TestCertificate sentinelTls() {
		return this.sentinelTls;
	}

	@Nullable String announcedIp(String processName) {
		return this.announcedIps.get(processName);
	}

	List<String> serverConfig(String processName) {
		return this.serverConfig.getOrDefault(processName, List.of());
	}

}
