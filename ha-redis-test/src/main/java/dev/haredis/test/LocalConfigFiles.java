package dev.haredis.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * The configuration of a {@link LocalSentinelTopology}: one temporary directory with a config file per process
 * (and the TLS files), written from the {@link LocalSentinelTopologyBuilder builder's} settings.
 */
final class LocalConfigFiles {

	private final LocalSentinelTopologyBuilder settings;

	private final Path directory;

	/** TLS of the data nodes, or {@code null} when they are plain. */
	private final @Nullable TlsFiles dataTls;

	/** TLS of the sentinels' client port, or {@code null} when it is plain. */
	private final @Nullable TlsFiles sentinelTls;

	/** Trusts the test CA, which signed every test certificate; {@code null} when nothing uses TLS. */
	private final @Nullable SSLSocketFactory tlsSocketFactory;

	LocalConfigFiles(LocalSentinelTopologyBuilder settings) {
		this.settings = settings;
		try {
			this.directory = Files.createTempDirectory("ha-redis-topology-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		TestCertificate data = settings.dataTls();
		TestCertificate sentinel = settings.sentinelTls();
		this.dataTls = (data != null) ? TlsFiles.extractTo(this.directory.resolve("tls-data"), data) : null;
		this.sentinelTls = (sentinel != null) ? TlsFiles.extractTo(this.directory.resolve("tls-sentinel"), sentinel)
				: null;
		TlsFiles any = (this.dataTls != null) ? this.dataTls : this.sentinelTls;
		this.tlsSocketFactory = (any != null) ? any.socketFactory() : null;
	}

	/**
	 * Write the config of a data node of the topology: the master when {@code masterPort} is {@code null}, else
	 * one of its replicas.
	 */
	Path server(String name, int port, @Nullable Integer masterPort) {
		Map<String, String> config = dataNodeConfig(port);
		config.put("appendonly", "no");
		config.put("save", "\"\"");
		String password = this.settings.password();
		if (password != null) {
			config.put("requirepass", password);
			config.put("masterauth", password);
		}
		if (masterPort != null) {
			config.put("replicaof", "127.0.0.1 " + masterPort);
		}
		String announced = this.settings.announcedIp(name);
		if (announced != null) {
			config.put("replica-announce-ip", announced);
		}
		for (String line : this.settings.serverConfig(name)) {
			// keyed by the directive and all its arguments but the last, as the "sentinel ..." lines are
			String directive = line.strip();
			int last = directive.lastIndexOf(' ');
			config.put(directive.substring(0, last), directive.substring(last + 1));
		}
		return write(name, config);
	}

	/**
	 * Write the config of a sentinel of the topology, monitoring the master on {@code masterPort}.
	 */
	Path sentinel(String name, int port, int masterPort) {
		String masterName = this.settings.masterName();
		Map<String, String> config = sentinelConfig(port);
		// Several "sentinel ..." lines: keyed by the directive and its first argument.
		config.put("sentinel monitor " + masterName, "127.0.0.1 " + masterPort + " " + this.settings.quorum());
		config.put("sentinel down-after-milliseconds " + masterName, Long.toString(this.settings.downAfter().toMillis()));
		config.put("sentinel failover-timeout " + masterName,
				Long.toString(this.settings.failoverTimeout().toMillis()));
		config.put("sentinel parallel-syncs " + masterName, "1");
		if (this.settings.password() != null) {
			config.put("sentinel auth-pass " + masterName, this.settings.password());
		}
		if (this.settings.sentinelPassword() != null) {
			config.put("requirepass", this.settings.sentinelPassword());
			config.put("sentinel sentinel-pass", this.settings.sentinelPassword());
		}
		String announced = this.settings.announcedIp(name);
		if (announced != null) {
			config.put("sentinel announce-ip", announced);
		}
		return write(name, config);
	}

	/**
	 * Write the config of an isolated server that reports the replica role (of a port where nothing listens).
	 */
	Path isolatedReplica(String name, int port) {
		Map<String, String> config = dataNodeConfig(port);
		config.put("replicaof", "127.0.0.1 " + LocalPorts.unused());
		if (this.settings.password() != null) {
			config.put("requirepass", this.settings.password());
		}
		return write(name, config);
	}

	/**
	 * Write the config of a sentinel outside the topology, monitoring the server on {@code serverPort} under
	 * {@code masterName}, with a quorum of one and a {@code down-after-milliseconds} that never elapses in a test.
	 */
	Path outsideSentinel(String name, int port, String masterName, int serverPort) {
		Map<String, String> config = sentinelConfig(port);
		config.put("sentinel monitor " + masterName, "127.0.0.1 " + serverPort + " 1");
		config.put("sentinel down-after-milliseconds " + masterName, "600000");
		if (this.settings.password() != null) {
			config.put("sentinel auth-pass " + masterName, this.settings.password());
		}
		if (this.settings.sentinelPassword() != null) {
			config.put("requirepass", this.settings.sentinelPassword());
		}
		return write(name, config);
	}

	/**
	 * Return how the topology's own commands reach a data node: they trust the test CA without checking host names,
	 * so that they work with every {@link TestCertificate}.
	 */
	@Nullable SSLSocketFactory dataSocketFactory() {
		return (this.dataTls != null) ? this.tlsSocketFactory : null;
	}

	/**
	 * Return how the topology's own commands reach a sentinel's client port.
	 */
	@Nullable SSLSocketFactory sentinelSocketFactory() {
		return (this.sentinelTls != null) ? this.tlsSocketFactory : null;
	}

	@Nullable Path tlsCaCertificate() {
		TlsFiles any = (this.dataTls != null) ? this.dataTls : this.sentinelTls;
		return (any != null) ? any.caCertificate() : null;
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
		// Only 127.0.0.1 is bound anyway; Redis 7 would also refuse the test's own connections from 127.0.0.2
		// (LoopbackPartitions) without a password.
		config.put("protected-mode", "no");
		config.put("daemonize", "no");
		config.put("dir", this.directory.toString());
		config.put("dbfilename", "dump-" + config.getOrDefault("tls-port", config.get("port")) + ".rdb");
		return config;
	}

	private Path write(String name, Map<String, String> config) {
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
	 * Delete the directory and everything in it; a leftover temporary directory is harmless.
	 */
	void delete() {
		deleteTree(this.directory);
	}

	/**
	 * Delete a topology's working directory and everything in it; a leftover temporary directory is harmless.
	 */
	static void deleteTree(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary directory is harmless
		}
	}

}
