package dev.haredis.testcontainers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.haredis.test.FailoverPartitions;
import dev.haredis.test.Iptables;
import dev.haredis.test.LoopbackPartitions;
import dev.haredis.test.PartitionBound;
import dev.haredis.topology.NodeAddress;

/**
 * The partitions of a {@link RedisSentinelContainer}. Its servers share one network namespace and talk over its
 * loopback interface, while the application comes in through the published ports (its {@code eth0}): iptables
 * rules in that namespace, on {@code lo} and the master's port, cut the master off from the others and leave the
 * application's path alone. The application's own cut (the minority side) is made on the Docker host's loopback,
 * where it reaches the published ports from 127.0.0.1 and the topology's commands come from
 * {@value LoopbackPartitions#TEST_SOURCE_ADDRESS} ({@link LoopbackPartitions#cutOffApplication}).
 * <p>
 * The namespace's rules are entered from the host ({@code nsenter -t <pid> -n iptables}), so the image needs no
 * iptables and the containers no {@code NET_ADMIN}; they go with the namespace when the topology stops.
 */
final class ContainerPartitions implements FailoverPartitions<NodeAddress> {

	private final SentinelContainerLayout layout;

	private final SentinelContainerFaults faults;

	private final LongSupplier namespacePid;

	private final IntUnaryOperator publishedPort;

	private final List<List<String>> rules = new ArrayList<>();

	private @Nullable LoopbackPartitions hostLoopback;

	private final PartitionBound bound = new PartitionBound(this, this::heal);

	/**
	 * Create the partitions of one topology.
	 * @param layout its ports
	 * @param faults how to find the master
	 * @param namespacePid the pid of the process owning the shared network namespace (the holder's)
	 * @param publishedPort the port published on the Docker host's 127.0.0.1 for a container port
	 */
	ContainerPartitions(SentinelContainerLayout layout, SentinelContainerFaults faults, LongSupplier namespacePid,
			IntUnaryOperator publishedPort) {
		this.layout = layout;
		this.faults = faults;
		this.namespacePid = namespacePid;
		this.publishedPort = publishedPort;
	}

	@Override
	public @Nullable String unavailableReason() {
		String reason = LoopbackPartitions.unavailableReason();
		if (reason != null) {
			return reason;
		}
		if (Stream.of("/usr/bin/nsenter", "/bin/nsenter", "/usr/sbin/nsenter")
			.noneMatch((path) -> Files.isExecutable(Path.of(path)))) {
			return "nsenter is needed to enter the containers' network namespace (apt-get install util-linux)";
		}
		return null;
	}

	@Override
	public NodeAddress partitionMaster(Duration maxDuration) {
		return partition(maxDuration, false);
	}

	@Override
	public NodeAddress partitionMasterWithApplication(Duration maxDuration) {
		return partition(maxDuration, true);
	}

	private synchronized NodeAddress partition(Duration maxDuration, boolean withApplication) {
		String reason = unavailableReason();
		if (reason != null) {
			throw new IllegalStateException("Partitions are not available: " + reason);
		}
		NodeAddress master = this.faults.awaitAgreedMaster(null, Duration.ofSeconds(15));
		this.bound.start(maxDuration);
		String port = Integer.toString(master.port());
		// Everything on lo to or from the master's port: the replicas' and the sentinels' connections to it.
		for (String direction : List.of("--dport", "--sport")) {
			List<String> rule = List.of("OUTPUT", "-o", "lo", "-p", "tcp", direction, port, "-j", "DROP");
			iptables("-A", rule);
			this.rules.add(rule);
		}
		if (withApplication) {
			List<Integer> others = this.layout.allPorts()
				.stream()
				.filter((containerPort) -> containerPort != master.port())
				.map(this.publishedPort::applyAsInt)
				.toList();
			LoopbackPartitions loopback = (this.hostLoopback != null) ? this.hostLoopback : LoopbackPartitions.create();
			this.hostLoopback = loopback;
			loopback.cutOffApplication(others, maxDuration);
		}
		return master;
	}

	@Override
	public synchronized void heal() {
		try {
			// Each rule is tried even when one fails; the first failure is thrown once all were.
			RuntimeException failure = null;
			for (List<String> rule : this.rules) {
				try {
					iptables("-D", rule);
				}
				catch (RuntimeException ex) {
					failure = (failure != null) ? failure : ex;
				}
			}
			this.rules.clear();
			if (failure != null) {
				throw failure;
			}
		}
		finally {
			if (this.hostLoopback != null) {
				this.hostLoopback.heal();
			}
			this.bound.cancel();
		}
	}

	/**
	 * Heal and remove the host's rules; the namespace's go with it.
	 */
	synchronized void close() {
		if (!this.rules.isEmpty() || this.bound.running()) {
			heal();
		}
		if (this.hostLoopback != null) {
			this.hostLoopback.close();
			this.hostLoopback = null;
		}
	}

	private void iptables(String action, List<String> rule) {
		List<String> arguments = new ArrayList<>(List.of(action));
		arguments.addAll(rule);
		Iptables.run(List.of("nsenter", "-t", Long.toString(this.namespacePid.getAsLong()), "-n"), arguments, true);
	}

}
