package dev.haredis.drill;

import java.util.List;
import java.util.Set;

/**
 * What one client saw in one round of a cluster fault.
 *
 * @param scenario the fault
 * @param round the round
 * @param client the client
 * @param firstWriteMillis from the replica's promotion to the first write to the failed shard's slots acknowledged
 * after it, or -1 when none was
 * @param longestGapMillis the longest time without an acknowledged write to those slots, from the fault to the end
 * @param stalled writes to those slots that took more than 5 s (waited for a timeout)
 * @param errors writes to those slots that failed
 * @param otherShardErrors writes to another master's slots that failed
 * @param lost writes to the failed shard's slots acknowledged and missing on its master at the end
 */
record ClusterRoundResult(String scenario, int round, String client, long firstWriteMillis, long longestGapMillis,
		long stalled, long errors, long otherShardErrors, long lost) {

	private static final long STALLED_NANOS = 5_000_000_000L;

	static ClusterRoundResult of(String scenario, int round, String client, List<WriteOutcome> faulted,
			List<WriteOutcome> other, Set<Long> present, long fault, long promoted, long end) {
		long firstWrite = faulted.stream()
			.filter(WriteOutcome::acknowledged)
			.mapToLong(WriteOutcome::endNanos)
			.filter((at) -> at > promoted)
			.min()
			.stream()
			.map((at) -> (at - promoted) / 1_000_000)
			.findFirst()
			.orElse(-1);
		long last = fault;
		long longest = 0;
		for (WriteOutcome outcome : faulted.stream()
			.filter(WriteOutcome::acknowledged)
			.sorted(java.util.Comparator.comparingLong(WriteOutcome::endNanos))
			.toList()) {
			if (outcome.endNanos() > fault) {
				longest = Math.max(longest, outcome.endNanos() - last);
				last = outcome.endNanos();
			}
		}
		longest = Math.max(longest, end - last);
		long stalled = faulted.stream().filter((outcome) -> outcome.endNanos() - outcome.startNanos() > STALLED_NANOS).count();
		long errors = faulted.stream().filter((outcome) -> !outcome.acknowledged()).count();
		long otherErrors = other.stream().filter((outcome) -> !outcome.acknowledged()).count();
		long lost = faulted.stream()
			.filter(WriteOutcome::acknowledged)
			.filter((outcome) -> !present.contains(outcome.sequence()))
			.count();
		return new ClusterRoundResult(scenario, round, client, firstWrite, longest / 1_000_000, stalled, errors,
				otherErrors, lost);
	}

}
