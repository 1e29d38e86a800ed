package dev.haredis.test;

import java.time.Duration;

/**
 * The faults a {@link LocalSentinelTopology} injects, each on the master its {@link LocalProcesses processes}
 * agree on: a crash, a freeze, a manual failover, a sentinel announced by hand.
 */
final class LocalFaults {

	private static final Duration FAILOVER_REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private final LocalProcesses processes;

	private final String masterName;

	LocalFaults(LocalProcesses processes, String masterName) {
		this.processes = processes;
		this.masterName = masterName;
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
				RedisProcess.pause(Duration.ofMillis(200));
			}
		}
	}

	void announceSentinel(int port, String runId) {
		RedisProcess master = this.processes.master();
		master.command("PUBLISH", "__sentinel__:hello", String.join(",", "127.0.0.1", Integer.toString(port), runId,
				"0", this.masterName, "127.0.0.1", Integer.toString(master.port()), "0"));
	}

}
