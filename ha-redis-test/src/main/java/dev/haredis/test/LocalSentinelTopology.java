package dev.haredis.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * A real Redis master, replicas and sentinels on 127.0.0.1 with free ports, started as processes and stopped by
 * PID. Each fault a failover test needs has a trigger here: {@link #killMaster()}, {@link RedisProcess#freeze()},
 * {@link #failover()}, and {@link #awaitNewMaster(RedisProcess, Duration)} waits for the sentinels to move on.
 *
 * <pre class="code">
 * try (LocalSentinelTopology topology = LocalSentinelTopology.builder().start()) {
 *     String nodes = topology.sentinelNodes(); // "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3"
 * }
 * </pre>
 */
public final class LocalSentinelTopology implements AutoCloseable {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration FAILOVER_REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private final Builder settings;

	private final Path directory;

	private final List<RedisProcess> servers = new ArrayList<>();

	private final List<RedisProcess> sentinels = new ArrayList<>();

	private final List<RedisProcess> extras = new ArrayList<>();

	/** TLS of the data nodes, or {@code null} when they are plain. */
	private final @Nullable TlsFiles dataTls;

	/** TLS of the sentinels' client port, or {@code null} when it is plain. */
	private final @Nullable TlsFiles sentinelTls;

	/** Trusts the test CA, which signed every test certificate; {@code null} when nothing uses TLS. */
	private final @Nullable SSLSocketFactory tlsSocketFactory;

	private LocalSentinelTopology(Builder settings) {
		this.settings = settings;
		try {
			this.directory = Files.createTempDirectory("ha-redis-topology-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.dataTls = (settings.dataTls != null)
				? TlsFiles.extractTo(this.directory.resolve("tls-data"), settings.dataTls) : null;
		this.sentinelTls = (settings.sentinelTls != null)
				? TlsFiles.extractTo(this.directory.resolve("tls-sentinel"), settings.sentinelTls) : null;
		TlsFiles any = (this.dataTls != null) ? this.dataTls : this.sentinelTls;
		this.tlsSocketFactory = (any != null) ? any.socketFactory() : null;
	}

	/**
	 * Return a builder with the defaults: master {@code mymaster}, one replica, three sentinels, quorum 2,
	 * {@code down-after-milliseconds} 2000, no passwords.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	private void startAll() {
		RedisServerBinary binary = (this.settings.binary != null) ? this.settings.binary : RedisServerBinary.locate();
		RedisProcess master = newServer(binary, "master", null);
		master.start();
		for (int i = 1; i <= this.settings.replicas; i++) {
			newServer(binary, "replica-" + i, master).start();
		}
		for (int i = 1; i <= this.settings.sentinels; i++) {
			newSentinel(binary, "sentinel-" + i, master).start();
		}
		awaitReady(READY_TIMEOUT);
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
		RedisServerBinary binary = (this.settings.binary != null) ? this.settings.binary : RedisServerBinary.locate();
		int index = this.extras.size() + 1;
		int serverPort = LocalPorts.unused();
		Map<String, String> serverConfig = dataNodeConfig(serverPort);
		serverConfig.put("replicaof", "127.0.0.1 " + LocalPorts.unused());
		if (this.settings.password != null) {
			serverConfig.put("requirepass", this.settings.password);
		}
		RedisProcess server = new RedisProcess("extra-server-" + index, false, serverPort,
				writeConfig("extra-server-" + index, serverConfig), binary, this.settings.password,
				socketFactory(this.dataTls));
		this.extras.add(server);
		server.start();
		int sentinelPort = LocalPorts.unused();
		Map<String, String> config = sentinelConfig(sentinelPort);
		config.put("sentinel monitor " + masterName, "127.0.0.1 " + serverPort + " 1");
		config.put("sentinel down-after-milliseconds " + masterName, "600000");
		if (this.settings.password != null) {
			config.put("sentinel auth-pass " + masterName, this.settings.password);
		}
		if (this.settings.sentinelPassword != null) {
			config.put("requirepass", this.settings.sentinelPassword);
		}
		RedisProcess sentinel = new RedisProcess("extra-sentinel-" + index, true, sentinelPort,
				writeConfig("extra-sentinel-" + index, config), binary, this.settings.sentinelPassword,
				socketFactory(this.sentinelTls));
		this.extras.add(sentinel);
		sentinel.start();
		return sentinel;
	}

	/**
	 * Start one more sentinel of this topology, monitoring the current master with the same settings: the other
	 * sentinels learn it from its hello messages ({@code +sentinel}) and it learns them. It counts among
	 * {@link #sentinels()} from now on.
	 * @return the new sentinel, named {@code sentinel-<n>}
	 */
	public RedisProcess addSentinel() {
		RedisServerBinary binary = (this.settings.binary != null) ? this.settings.binary : RedisServerBinary.locate();
		RedisProcess sentinel = newSentinel(binary, "sentinel-" + (this.sentinels.size() + 1), master());
		sentinel.start();
		return sentinel;
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
		RedisProcess master = master();
		master.command("PUBLISH", "__sentinel__:hello", String.join(",", "127.0.0.1", Integer.toString(port), runId,
				"0", masterName(), "127.0.0.1", Integer.toString(master.port()), "0"));
	}

	/**
	 * Return how many other sentinels a sentinel of this topology lists for the master ({@code SENTINEL SENTINELS}).
	 * @param sentinel one of {@link #sentinels()}
	 * @return the number of other sentinels it knows
	 */
	public int sentinelsKnownBy(RedisProcess sentinel) {
		return ((List<?>) Objects.requireNonNull(sentinel.command("SENTINEL", "SENTINELS", masterName()))).size();
	}

	private RedisProcess newServer(RedisServerBinary binary, String name, @Nullable RedisProcess master) {
		int port = LocalPorts.unused();
		Map<String, String> config = dataNodeConfig(port);
		config.put("appendonly", "no");
		config.put("save", "\"\"");
		if (this.settings.password != null) {
			config.put("requirepass", this.settings.password);
			config.put("masterauth", this.settings.password);
		}
		if (master != null) {
			config.put("replicaof", "127.0.0.1 " + master.port());
		}
		String announced = this.settings.announcedIps.get(name);
		if (announced != null) {
			config.put("replica-announce-ip", announced);
		}
		for (String line : this.settings.serverConfig.getOrDefault(name, List.of())) {
			// keyed by the directive and all its arguments but the last, as the "sentinel ..." lines are
			String directive = line.strip();
			int last = directive.lastIndexOf(' ');
			config.put(directive.substring(0, last), directive.substring(last + 1));
		}
		RedisProcess server = new RedisProcess(name, false, port, writeConfig(name, config), binary,
				this.settings.password, socketFactory(this.dataTls));
		this.servers.add(server);
		return server;
	}

	private RedisProcess newSentinel(RedisServerBinary binary, String name, RedisProcess master) {
		int port = LocalPorts.unused();
		String masterName = this.settings.masterName;
		Map<String, String> config = sentinelConfig(port);
		// Several "sentinel ..." lines: keyed by the directive and its first argument.
		config.put("sentinel monitor " + masterName, "127.0.0.1 " + master.port() + " " + this.settings.quorum);
		config.put("sentinel down-after-milliseconds " + masterName, Long.toString(this.settings.downAfter.toMillis()));
		config.put("sentinel failover-timeout " + masterName, Long.toString(this.settings.failoverTimeout.toMillis()));
		config.put("sentinel parallel-syncs " + masterName, "1");
		if (this.settings.password != null) {
			config.put("sentinel auth-pass " + masterName, this.settings.password);
		}
		if (this.settings.sentinelPassword != null) {
			config.put("requirepass", this.settings.sentinelPassword);
			config.put("sentinel sentinel-pass", this.settings.sentinelPassword);
		}
		String announced = this.settings.announcedIps.get(name);
		if (announced != null) {
			config.put("sentinel announce-ip", announced);
		}
		RedisProcess sentinel = new RedisProcess(name, true, port, writeConfig(name, config), binary,
				this.settings.sentinelPassword, socketFactory(this.sentinelTls));
		this.sentinels.add(sentinel);
		return sentinel;
	}

	/**
	 * A data node listens on {@code port} only, TLS or plain; with TLS, replicas reach their master over TLS too
	 * ({@code tls-replication}).
	 */
	private Map<String, String> dataNodeConfig(int port) {
		Map<String, String> config = new LinkedHashMap<>();
		if (this.dataTls != null) {
			config.put("port", "0");
			config.put("tls-port", Integer.toString(port));
			tlsFiles(config, this.dataTls);
			config.put("tls-replication", "yes");
		}
		else {
			config.put("port", Integer.toString(port));
		}
		return commonConfig(config);
	}

	/**
	 * A sentinel's clients use {@code port}. Redis sentinels reach the data nodes and each other over TLS exactly
	 * when {@code tls-replication} is on, and then announce their {@code tls-port} to each other (else their plain
	 * {@code port}): so when the two sides differ, a sentinel also listens on a second port, for the other
	 * sentinels, in the data nodes' mode.
	 */
	private Map<String, String> sentinelConfig(int port) {
		Map<String, String> config = new LinkedHashMap<>();
		if (this.sentinelTls != null && this.dataTls != null) {
			config.put("port", "0");
			config.put("tls-port", Integer.toString(port));
			tlsFiles(config, this.sentinelTls);
			config.put("tls-replication", "yes");
		}
		else if (this.dataTls != null) {
			// Plain for clients; TLS to the data nodes and between sentinels, on a port of its own.
			config.put("port", Integer.toString(port));
			config.put("tls-port", Integer.toString(LocalPorts.unused()));
			tlsFiles(config, this.dataTls);
			config.put("tls-replication", "yes");
		}
		else if (this.sentinelTls != null) {
			// TLS for clients; plain to the data nodes and between sentinels, on a port of its own.
			config.put("port", Integer.toString(LocalPorts.unused()));
			config.put("tls-port", Integer.toString(port));
			tlsFiles(config, this.sentinelTls);
			config.put("tls-replication", "no");
		}
		else {
			config.put("port", Integer.toString(port));
		}
		return commonConfig(config);
	}

	private static void tlsFiles(Map<String, String> config, TlsFiles tls) {
		config.put("tls-cert-file", tls.serverCertificate().toString());
		config.put("tls-key-file", tls.serverKey().toString());
		config.put("tls-ca-cert-file", tls.caCertificate().toString());
		config.put("tls-auth-clients", "no");
	}

	private Map<String, String> commonConfig(Map<String, String> config) {
		config.put("bind", "127.0.0.1");
		config.put("daemonize", "no");
		config.put("dir", this.directory.toString());
		config.put("dbfilename", "dump-" + config.getOrDefault("tls-port", config.get("port")) + ".rdb");
		return config;
	}

	private Path writeConfig(String name, Map<String, String> config) {
		String text = config.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + " " + entry.getValue())
			.collect(Collectors.joining("\n", "", "\n"));
		Path file = this.directory.resolve(name + ".conf");
		try {
			Files.writeString(file, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return file;
	}

	/**
	 * Return the master name the sentinels monitor.
	 * @return the master name
	 */
	public String masterName() {
		return this.settings.masterName;
	}

	/**
	 * Return the data nodes (master and replicas), in start order.
	 * @return the data nodes
	 */
	public List<RedisProcess> servers() {
		return List.copyOf(this.servers);
	}

	/**
	 * Return the sentinels, in start order.
	 * @return the sentinels
	 */
	public List<RedisProcess> sentinels() {
		return List.copyOf(this.sentinels);
	}

	/**
	 * Return the sentinel addresses as {@code host:port} strings.
	 * @return the sentinel addresses
	 */
	public List<String> sentinelAddresses() {
		return this.sentinels.stream().map(RedisProcess::address).toList();
	}

	/**
	 * Return the sentinel addresses joined with commas, the form {@code ha.redis.sentinel.nodes} takes.
	 * @return the sentinel nodes
	 */
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
		return String.join(",", this.sentinels.stream().map((sentinel) -> host + ":" + sentinel.port()).toList());
	}

	/**
	 * Return the PEM file of the CA that signed the servers' certificates (every {@link TestCertificate}), for a
	 * client trust store ({@code spring.ssl.bundle.pem.<name>.truststore.certificate=file:...}).
	 * @return the CA certificate file
	 * @throws IllegalStateException when the topology does not use TLS
	 */
	public Path tlsCaCertificate() {
		TlsFiles any = (this.dataTls != null) ? this.dataTls : this.sentinelTls;
		if (any == null) {
			throw new IllegalStateException("This topology does not use TLS; build it with tls(), "
					+ "dataNodeTls(...) or sentinelTls(...)");
		}
		return any.caCertificate();
	}

	/**
	 * The topology's own commands trust the test CA without checking host names, so that they work with every
	 * {@link TestCertificate}.
	 */
	private @Nullable SSLSocketFactory socketFactory(@Nullable TlsFiles tls) {
		return (tls != null) ? this.tlsSocketFactory : null;
	}

	/**
	 * Return the data password, if any.
	 * @return the password or {@code null}
	 */
	public @Nullable String password() {
		return this.settings.password;
	}

	/**
	 * Return the sentinel password, if any.
	 * @return the password or {@code null}
	 */
	public @Nullable String sentinelPassword() {
		return this.settings.sentinelPassword;
	}

	/**
	 * Return the data node the sentinels currently name as master and that reports the master role itself.
	 * @return the current master
	 */
	public RedisProcess master() {
		return awaitValue("a role-verified master", READY_TIMEOUT, this::verifiedMaster);
	}

	/**
	 * Return the data nodes other than the current master.
	 * @return the replicas
	 */
	public List<RedisProcess> replicas() {
		RedisProcess master = master();
		return this.servers.stream().filter((server) -> server != master).toList();
	}

	/**
	 * Kill the current master with SIGKILL.
	 * @return the killed process, to restart or compare later
	 */
	public RedisProcess killMaster() {
		RedisProcess master = master();
		master.kill();
		return master;
	}

	/**
	 * Ask a sentinel for a manual failover ({@code SENTINEL FAILOVER}); the old master stays up and is demoted.
	 * @return the master at the time of the request
	 */
	public RedisProcess failover() {
		RedisProcess master = master();
		RedisProcess sentinel = this.sentinels.stream()
			.filter(RedisProcess::isAlive)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No sentinel is running"));
		// A sentinel refuses (NOGOODSLAVE) while its last look at the replica, refreshed every 10 s, still shows the
		// replica's link down from a restore: ask again until it has looked again, within a bound.
		long deadline = System.nanoTime() + FAILOVER_REQUEST_TIMEOUT.toNanos();
		while (true) {
			try {
				sentinel.command("SENTINEL", "FAILOVER", masterName());
				return master;
			}
			catch (RespConnection.RespErrorException ex) {
				if (!String.valueOf(ex.getMessage()).contains("NOGOODSLAVE") || System.nanoTime() > deadline) {
					throw ex;
				}
				RedisProcess.pause(Duration.ofMillis(200));
			}
		}
	}

	/**
	 * Wait until the sentinels name a master other than {@code previous} and that server reports the master role.
	 * @param previous the master before the fault
	 * @param timeout how long to wait
	 * @return the new master
	 */
	public RedisProcess awaitNewMaster(RedisProcess previous, Duration timeout) {
		return awaitValue("a new master other than " + previous, timeout,
				() -> verifiedMaster().filter((master) -> master != previous));
	}

	/**
	 * Bring the topology back to full health after faults: restart stopped processes, resume frozen ones and wait
	 * until every sentinel agrees on a role-verified master and knows every replica and sentinel.
	 */
	public void restore() {
		Stream.concat(this.servers.stream(), this.sentinels.stream()).forEach((process) -> {
			if (!process.isAlive()) {
				process.start();
			}
			else {
				process.unfreeze();
			}
		});
		awaitReady(READY_TIMEOUT);
	}

	private void awaitReady(Duration timeout) {
		awaitValue("every sentinel to agree on a master with " + this.settings.replicas + " replica(s) and "
				+ (this.sentinels.size() - 1) + " other sentinel(s)", timeout, this::readyMaster);
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
					&& Objects.equals(state.get("num-slaves"), Integer.toString(this.settings.replicas))
					&& Objects.equals(state.get("num-other-sentinels"), Integer.toString(this.sentinels.size() - 1));
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

	private boolean replicaLinkUp(RedisProcess replica) {
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
				Object reply = sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName());
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
			Object reply = sentinel.command("SENTINEL", "MASTER", masterName());
			Map<String, String> state = new LinkedHashMap<>();
			List<?> fields = (List<?>) reply;
			for (int i = 0; i + 1 < fields.size(); i += 2) {
				state.put(String.valueOf(fields.get(i)), String.valueOf(fields.get(i + 1)));
			}
			return state;
		}
		catch (RuntimeException ex) {
			return Map.of();
		}
	}

	private <T> T awaitValue(String description, Duration timeout, Supplier<Optional<T>> probe) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Optional<T> value = probe.get();
			if (value.isPresent()) {
				return value.get();
			}
			RedisProcess.pause(Duration.ofMillis(50));
		}
		throw new IllegalStateException("Timed out after " + timeout + " waiting for " + description + "\n"
				+ Stream.concat(this.servers.stream(), this.sentinels.stream())
					.map((process) -> "--- " + process + " ---\n" + process.logTail())
					.collect(Collectors.joining("\n")));
	}

	/**
	 * Kill every process (SIGKILL by PID) and delete the working directory.
	 */
	@Override
	public void close() {
		Stream.of(this.extras, this.sentinels, this.servers).flatMap(List::stream).forEach(RedisProcess::kill);
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary directory is harmless
		}
	}

	/**
	 * Settings for a {@link LocalSentinelTopology}.
	 */
	public static final class Builder {

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

		private Builder() {
		}

		/**
		 * Serve data nodes and sentinels over TLS only (replication too), with the test certificates shipped in
		 * this module: a server certificate for 127.0.0.1 signed by {@link #tlsCaCertificate() a test CA}.
		 * @return this builder
		 */
		public Builder tls() {
			return dataNodeTls(TestCertificate.LOCALHOST).sentinelTls(TestCertificate.LOCALHOST);
		}

		/**
		 * Serve the data nodes over TLS only (replication too) with the given certificate. Alone, the sentinels
		 * stay plain for their clients and reach the data nodes (and each other, on a second port) over TLS.
		 * @param certificate the data nodes' certificate
		 * @return this builder
		 */
		public Builder dataNodeTls(TestCertificate certificate) {
			this.dataTls = certificate;
			return this;
		}

		/**
		 * Serve the sentinels' clients over TLS with the given certificate. Alone, the data nodes stay plain and
		 * the sentinels reach them (and each other, on a second port) in plain text.
		 * @param certificate the sentinels' certificate
		 * @return this builder
		 */
		public Builder sentinelTls(TestCertificate certificate) {
			this.sentinelTls = certificate;
			return this;
		}

		/**
		 * Set the master name the sentinels monitor.
		 * @param masterName the master name
		 * @return this builder
		 */
		public Builder masterName(String masterName) {
			this.masterName = masterName;
			return this;
		}

		/**
		 * Set the number of replicas.
		 * @param replicas the number of replicas
		 * @return this builder
		 */
		public Builder replicas(int replicas) {
			this.replicas = replicas;
			return this;
		}

		/**
		 * Set the number of sentinels and the quorum.
		 * @param sentinels the number of sentinels
		 * @param quorum how many sentinels must agree the master is down
		 * @return this builder
		 */
		public Builder sentinels(int sentinels, int quorum) {
			this.sentinels = sentinels;
			this.quorum = quorum;
			return this;
		}

		/**
		 * Set {@code down-after-milliseconds}.
		 * @param downAfter how long a master may be silent before it is considered down
		 * @return this builder
		 */
		public Builder downAfter(Duration downAfter) {
			this.downAfter = downAfter;
			return this;
		}

		/**
		 * Set {@code failover-timeout}.
		 * @param failoverTimeout the failover timeout
		 * @return this builder
		 */
		public Builder failoverTimeout(Duration failoverTimeout) {
			this.failoverTimeout = failoverTimeout;
			return this;
		}

		/**
		 * Protect the data nodes with {@code requirepass} (sentinels get it as {@code auth-pass}).
		 * @param password the data password
		 * @return this builder
		 */
		public Builder password(String password) {
			this.password = password;
			return this;
		}

		/**
		 * Protect the sentinels with {@code requirepass} (and {@code sentinel-pass} between themselves).
		 * @param sentinelPassword the sentinel password
		 * @return this builder
		 */
		public Builder sentinelPassword(String sentinelPassword) {
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
		public Builder announceIp(String processName, String ip) {
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
		public Builder serverConfig(String processName, String... redisConfLines) {
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
		public Builder binary(RedisServerBinary binary) {
			this.binary = binary;
			return this;
		}

		/**
		 * Start the topology and wait until the sentinels agree on the master and know every replica and each
		 * other. On failure, everything started so far is stopped.
		 * @return the running topology
		 */
		public LocalSentinelTopology start() {
			LocalSentinelTopology topology = new LocalSentinelTopology(this);
			try {
				topology.startAll();
				return topology;
			}
			catch (RuntimeException ex) {
				topology.close();
				throw ex;
			}
		}

	}

}
