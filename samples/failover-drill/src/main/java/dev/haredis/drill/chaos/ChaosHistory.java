package dev.haredis.drill.chaos;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a chaos run recorded, read back after the last heal: every time in milliseconds since the run started, one
 * clock for all. The {@link ChaosChecker} judges it.
 *
 * @param writes every write the workload issued
 * @param keysOnFinalMaster the keys of those writes found on the final master
 * @param faults the faults of the schedule, each with the time it was healed
 * @param tasks every task enqueue the workload issued
 * @param runs how often the handlers ran each task id
 * @param published every pub/sub message, by sequence number, with when it was published
 * @param received the sequence numbers the subscriber received
 * @param missed the {@code MessagesMayHaveBeenMissedEvent}s the application published
 * @param readOnlyErrors when a write was answered {@code READONLY}
 * @param verifiedSwitches when the monitor verified a new master
 * @param health the health status, sampled
 * @param operationsNeverCompleted operations still waiting when the run ended
 * @param start the resources in use when the workload started
 * @param end the resources in use after the last heal
 */
public record ChaosHistory(List<Write> writes, Set<String> keysOnFinalMaster, List<Fault> faults, List<Task> tasks,
		Map<String, Integer> runs, Map<Long, Long> published, Set<Long> received, List<Missed> missed,
		List<Long> readOnlyErrors, List<Long> verifiedSwitches, List<HealthSample> health,
		long operationsNeverCompleted, Resources start, Resources end) {

	/**
	 * How a write was made.
	 */
	public enum WriteKind {

		/** Through {@code StringRedisTemplate}: acknowledged by the master alone. */
		PLAIN,

		/** Through {@code DurableWrites}: acknowledged once replicas have it. */
		DURABLE,

		/** Through the replication fence: refused while too few replicas follow. */
		FENCED

	}

	/**
	 * The kinds of fault a schedule draws from.
	 */
	public enum FaultKind {

		KILL_MASTER(true), FREEZE_MASTER(true), MANUAL_FAILOVER(false), PARTITION_MASTER(true),
		PARTITION_APPLICATION(false), RESTART_SENTINEL(false), RESTART_ALL_SENTINELS(false), KILL_REPLICA(false),
		KILL_CLIENTS(false), LATENCY(false), RESTART_APPLICATION(false);

		private final boolean masterUnreachable;

		FaultKind(boolean masterUnreachable) {
			this.masterUnreachable = masterUnreachable;
		}

		/**
		 * Whether the fault leaves the application without a reachable master until the sentinels promote a
		 * replica.
		 * @return whether the master is unreachable
		 */
		public boolean masterUnreachable() {
			return this.masterUnreachable;
		}

	}

	/**
	 * One write.
	 *
	 * @param key its key, unique
	 * @param kind how it was made
	 * @param acknowledgedAt when it was acknowledged, or {@code null} when it failed
	 */
	public record Write(String key, WriteKind kind, @Nullable Long acknowledgedAt) {

	}

	/**
	 * One fault.
	 *
	 * @param kind its kind
	 * @param start when it began
	 * @param healedAt when it was healed
	 */
	public record Fault(FaultKind kind, long start, long healedAt) {

	}

	/**
	 * One task enqueue.
	 *
	 * @param id the task id
	 * @param durable whether it was enqueued durably
	 * @param acknowledged whether the enqueue was acknowledged
	 */
	public record Task(String id, boolean durable, boolean acknowledged) {

	}

	/**
	 * One {@code MessagesMayHaveBeenMissedEvent}.
	 *
	 * @param switchedAt when the application switched to the new master
	 * @param resumedAt when the subscriptions received again, or {@code null} if not in time
	 */
	public record Missed(long switchedAt, @Nullable Long resumedAt) {

	}

	/**
	 * The health status at one moment.
	 *
	 * @param at when it was sampled
	 * @param status {@code UP}, {@code DEGRADED}, {@code DOWN} or {@code UNKNOWN}
	 */
	public record HealthSample(long at, String status) {

	}

	/**
	 * What the application holds at one moment.
	 *
	 * @param threads live threads
	 * @param connectionsPerNode its connections, per node, from {@code CLIENT LIST}
	 * @param heapBytes the used heap after a garbage collection
	 */
	public record Resources(int threads, Map<String, Integer> connectionsPerNode, long heapBytes) {

	}

}
