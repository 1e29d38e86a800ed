package dev.haredis.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Network partitions between processes that all listen on 127.0.0.1, made with iptables on the loopback interface
 * only. Each process runs in a cgroup of its own; a mangle rule marks every connection it opens with a mark naming
 * its port, so a filter rule can drop both directions of the connections between two processes (a partition does
 * not reset connections, it stalls them) while the application, which runs in no such cgroup, still reaches both.
 * <p>
 * Needs root, {@code iptables} with the {@code cgroup}, {@code connmark} and {@code multiport} matches, and a
 * cgroup v2 hierarchy: see {@link #unavailableReason()}. Every rule carries the comment
 * {@code ha-redis-test-<pid>}; a partition heals by itself after its bound, on {@link #close()}, when the JVM exits,
 * and rules left by a JVM that was killed are removed the next time partitions are set up.
 */
public final class LoopbackPartitions implements AutoCloseable {

	/**
	 * The source address of the test's own connections to its servers ({@link RedisProcess#command(String...)}):
	 * not the application's 127.0.0.1, so cutting the application off spares them.
	 */
	public static final String TEST_SOURCE_ADDRESS = "127.0.0.2";

	private static final int MARK_TAG = 0x48520000;

	private static final AtomicInteger SEQUENCE = new AtomicInteger();

	private static final Set<LoopbackPartitions> OPEN = ConcurrentHashMap.newKeySet();

	private static volatile @Nullable String unavailable;

	private static volatile boolean probed;

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(LoopbackPartitions::close),
				"ha-redis-test-partition-healer"));
	}

	private final Path cgroupRoot;

	private final String parent;

	private final List<List<String>> markRules = new ArrayList<>();

	private final List<List<String>> partitionRules = new ArrayList<>();

	private final List<String> cgroups = new ArrayList<>();

	private final PartitionBound bound = new PartitionBound(this, this::heal);

	private LoopbackPartitions(Path cgroupRoot) {
		this.cgroupRoot = cgroupRoot;
		this.parent = LoopbackRules.COMMENT + "-" + SEQUENCE.incrementAndGet();
	}

	/**
	 * Return why partitions cannot be made on this machine, or {@code null} when they can.
	 * @return the reason, naming what to install or how to run
	 */
	public static synchronized @Nullable String unavailableReason() {
		if (!probed) {
			unavailable = probe();
			probed = true;
		}
		return unavailable;
	}

	/**
	 * Set up partitions for one topology, removing what a killed JVM left behind first.
	 * @return the partitions
	 * @throws IllegalStateException when partitions cannot be made here, with the reason
	 */
	public static LoopbackPartitions create() {
		String reason = unavailableReason();
		if (reason != null) {
			throw new IllegalStateException("Loopback partitions are not available: " + reason);
		}
		LoopbackRules.removeLeftovers();
		LoopbackPartitions partitions = new LoopbackPartitions(LoopbackRules.cgroupRoot());
		partitions.mkdir(partitions.parent);
		OPEN.add(partitions);
		return partitions;
	}

	/**
	 * Prepare the cgroup of the process that will listen on a port, and mark the connections it opens.
	 * @param port the process's port
	 * @return the command prefix that starts a command in that cgroup
	 */
	synchronized List<String> launchPrefix(int port) {
		String cgroup = this.parent + "/" + port;
		if (!this.cgroups.contains(cgroup)) {
			mkdir(cgroup);
			this.cgroups.add(cgroup);
			List<String> rule = List.of("-t", "mangle", "OUTPUT", "-o", "lo", "-p", "tcp", "-m", "cgroup", "--path",
					cgroup, "-m", "conntrack", "--ctstate", "NEW", "-j", "CONNMARK", "--set-mark", mark(port));
			LoopbackRules.append(rule);
			this.markRules.add(rule);
		}
		Path procs = this.cgroupRoot.resolve(cgroup).resolve("cgroup.procs");
		// exec keeps the pid: the process is still stopped by its own pid.
		return List.of("sh", "-c", "echo $$ > '" + procs + "' && exec \"$0\" \"$@\"");
	}

	/**
	 * Cut the process on one port off from the processes on the others, in both directions, for at most the given
	 * time. Connections the application opens (from 127.0.0.1, in no cgroup) are not touched.
	 * @param isolated the isolated process's port
	 * @param peers the ports of the processes it no longer reaches
	 * @param maxDuration when the partition heals by itself
	 */
	synchronized void isolate(int isolated, Collection<Integer> peers, Duration maxDuration) {
		this.bound.start(maxDuration);
		for (int peer : peers) {
			addPartitionRule(List.of("-m", "connmark", "--mark", mark(peer), "-m", "multiport", "--ports",
					Integer.toString(isolated)));
		}
	}

	/**
	 * Cut the application (connections from 127.0.0.1 that no server process opened) off from the given ports, in
	 * both directions, for at most the given time.
	 * The ports may be those a Docker engine publishes on 127.0.0.1, whatever runs behind them.
	 * @param ports the ports it no longer reaches
	 * @param maxDuration when the partition heals by itself
	 */
	public synchronized void cutOffApplication(Collection<Integer> ports, Duration maxDuration) {
		this.bound.start(maxDuration);
		addPartitionRule(List.of("-s", "127.0.0.1", "-d", "127.0.0.1", "-m", "connmark", "--mark", "0", "-m",
				"multiport", "--ports", ports.stream().map(String::valueOf).collect(Collectors.joining(","))));
	}

	/**
	 * Return whether a partition is in place.
	 * @return whether any partition rule is installed
	 */
	synchronized boolean partitioned() {
		return !this.partitionRules.isEmpty();
	}

	/**
	 * Remove every partition; connections stalled by it resume (TCP retransmits) and new ones connect.
	 */
	public synchronized void heal() {
		this.partitionRules.forEach(LoopbackRules::delete);
		this.partitionRules.clear();
		this.bound.cancel();
	}

	/**
	 * Heal, remove the marking rules and the cgroups (their processes must have exited).
	 */
	@Override
	public synchronized void close() {
		heal();
		this.markRules.forEach(LoopbackRules::delete);
		this.markRules.clear();
		for (int i = this.cgroups.size() - 1; i >= 0; i--) {
			rmdir(this.cgroupRoot.resolve(this.cgroups.get(i)));
		}
		this.cgroups.clear();
		rmdir(this.cgroupRoot.resolve(this.parent));
		OPEN.remove(this);
	}

	private void addPartitionRule(List<String> match) {
		List<String> rule = new ArrayList<>(List.of("OUTPUT", "-o", "lo", "-p", "tcp"));
		rule.addAll(match);
		rule.addAll(List.of("-j", "DROP"));
		LoopbackRules.append(rule);
		this.partitionRules.add(rule);
	}

	private static String mark(int port) {
		return String.format(Locale.ROOT, "0x%08x", MARK_TAG | port);
	}

	private void mkdir(String cgroup) {
		try {
			Files.createDirectories(this.cgroupRoot.resolve(cgroup));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create cgroup " + cgroup, ex);
		}
	}

	static void rmdir(Path cgroup) {
		// A cgroup is removable once its last process has exited, which the kernel notes a moment after the exit.
		for (int attempt = 0; attempt < 50 && Files.isDirectory(cgroup); attempt++) {
			try {
				Files.delete(cgroup);
			}
			catch (IOException ex) {
				ProcessWait.pause(Duration.ofMillis(20));
			}
		}
	}

	private static @Nullable String probe() {
		if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
			return "partitions need Linux (iptables and cgroups)";
		}
		if (!"root".equals(System.getProperty("user.name"))) {
			return "partitions need root (iptables rules on the loopback interface); run the tests as root, as CI does";
		}
		Path root;
		try {
			root = LoopbackRules.cgroupRoot();
		}
		catch (IllegalStateException ex) {
			return "no cgroup v2 hierarchy is mounted (mount -t cgroup2 none /sys/fs/cgroup/unified)";
		}
		LoopbackPartitions probe = new LoopbackPartitions(root);
		try {
			probe.mkdir(probe.parent);
			probe.launchPrefix(1);
			probe.addPartitionRule(List.of("-m", "connmark", "--mark", mark(2), "-m", "multiport", "--ports", "1"));
			return null;
		}
		catch (RuntimeException ex) {
			return "iptables with the cgroup, connmark and multiport matches is needed (apt-get install iptables): "
					+ ex.getMessage();
		}
		finally {
			probe.close();
		}
	}

}
