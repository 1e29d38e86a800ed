package dev.haredis.test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The faults a {@link LocalSentinelTopology} injects, each on the master its {@link LocalProcesses processes}
 * agree on: a crash, a freeze, a partition, a manual failover, a sentinel announced by hand.
 */
final class LocalFaults {

	private static final Duration FAILOVER_REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private final LocalProcesses processes;

	private final String masterName;

	private final @Nullable LoopbackPartitions partitions;

	LocalFaults(LocalProcesses processes, String masterName, @Nullable LoopbackPartitions partitions) {
		this.processes = processes;
		this.masterName = masterName;
		this.partitions = partitions;
	}

	RedisProcess killMaster() {
		RedisProcess master = this.processes.master();
		master.kill();
		return master;
	}

	RedisProcess freezeMaster() {
		RedisProcess master = this.processes.master();
		master.freeze();
		return master;
	}

	RedisProcess partitionMaster(Duration maxDuration, boolean withApplication) {
		LoopbackPartitions loopback = this.partitions;
		if (loopback == null) {
			throw new IllegalStateException("Partitions need a topology built with partitionable()");
		}
		RedisProcess master = this.processes.master();
		List<Integer> others = Stream.concat(this.processes.servers().stream(), this.processes.sentinels().stream())
			.filter((process) -> process != master)
			.map(RedisProcess::port)
			.toList();
		loopback.isolate(master.port(), others, maxDuration);
		if (withApplication) {
			loopback.cutOffApplication(others, maxDuration);
		}
		return master;
	}

	RedisProcess failover() {
		RedisProcess master = this.processes.master();
		RedisProcess sentinel = this.processes.sentinels()
			.stream()
			.filter(RedisProcess::isAlive)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No sentinel is running"));
		// A sentinel refuses (NOGOODSLAVE) while its last look at the replica, refreshed every 10 s, still shows the
		// replica's link down from a restore: ask again until it has looked again, within a bound.
		long deadline = System.nanoTime() + FAILOVER_REQUEST_TIMEOUT.toNanos();
		while (true) {
			try {
				sentinel.command("SENTINEL", "FAILOVER", this.masterName);
				return master;
			}
			catch (RespConnection.RespErrorException ex) {
				if (!String.valueOf(ex.getMessage()).contains("NOGOODSLAVE") || System.nanoTime() > deadline) {
					throw ex;
				}
				ProcessWait.pause(Duration.ofMillis(200));
			}
		}
	}

	void announceSentinel(int port, String runId) {
		RedisProcess master = this.processes.master();
		master.command("PUBLISH", "__sentinel__:hello", String.join(",", "127.0.0.1", Integer.toString(port), runId,
				"0", this.masterName, "127.0.0.1", Integer.toString(master.port()), "0"));
	}

}
