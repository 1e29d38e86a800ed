package dev.haredis.drill;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.haredis.drill.chaos.ChaosHistory.FaultKind;
import dev.haredis.drill.chaos.FaultSchedule.ScheduledFault;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;

/**
 * Causes the faults of a chaos schedule on a local sentinel topology, each returning how to heal it. A fault aims at
 * whatever node holds the role when it comes (the master then, a replica then), so overlapping faults compose as
 * they would in production; one aimed at the master waits, within the topology's bound, for the sentinels to agree
 * on one.
 */
final class ChaosFaults {

	private final LocalSentinelTopology topology;

	ChaosFaults(LocalSentinelTopology topology) {
		this.topology = topology;
	}

	/**
	 * Cause a fault.
	 * @param fault the fault
	 * @param index its place in the schedule, to choose among sentinels
	 * @return how to heal it, or {@code null} when it could not be caused now (say, a manual failover while one
	 * is under way), which the run reports as skipped
	 */
	@Nullable Runnable cause(ScheduledFault fault, int index) {
		FaultKind kind = fault.kind();
		return switch (kind) {
			case KILL_MASTER -> startAgain(this.topology.killMaster());
			case FREEZE_MASTER -> {
				RedisProcess frozen = this.topology.freezeMaster();
				yield () -> this.topology.unfreeze(frozen);
			}
			case MANUAL_FAILOVER -> {
				this.topology.failover();
				yield () -> {
				};
			}
			case RESTART_SENTINEL -> {
				List<RedisProcess> sentinels = this.topology.sentinels();
				RedisProcess sentinel = sentinels.get(index % sentinels.size());
				sentinel.kill();
				yield startAgain(sentinel);
			}
			case RESTART_ALL_SENTINELS -> {
				List<RedisProcess> sentinels = this.topology.sentinels();
				sentinels.forEach(RedisProcess::kill);
				yield () -> sentinels.forEach(RedisProcess::start);
			}
			case KILL_REPLICA -> {
				List<RedisProcess> replicas = this.topology.replicas();
				if (replicas.isEmpty()) {
					yield null;
				}
				RedisProcess replica = replicas.get(index % replicas.size());
				replica.kill();
				yield startAgain(replica);
			}
			case KILL_CLIENTS -> {
				// Every normal client of the master, the application's connections among them.
				this.topology.command(this.topology.master(), "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
				yield () -> {
				};
			}
			default -> null;
		};
	}

	private static Runnable startAgain(RedisProcess process) {
		return process::start;
	}

}
