package dev.haredis.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one client saw in one round of one scenario.
 *
 * @param scenario the fault
 * @param round the round number
 * @param client the client
 * @param faultToSwitchMillis from the fault to the sentinels' {@code +switch-master}
 * @param switchToFirstWriteMillis from {@code +switch-master} to the first acknowledged write issued after it that
 * is on the final master
 * @param longestAckGapMillis longest window without any acknowledged write
 * @param longestDurableGapMillis longest window without an acknowledged write that is on the final master
 * @param writes writes issued
 * @param failed writes that failed
 * @param readOnly writes that failed with {@code READONLY}
 * @param lost acknowledged writes missing on the final master
 * @param faultToFirstFailureMillis from the fault to the end of the first write that failed after it
 */
record RoundResult(String scenario, int round, String client, double faultToSwitchMillis,
		double switchToFirstWriteMillis, double longestAckGapMillis, double longestDurableGapMillis, int writes,
		int failed, int readOnly, int lost, double faultToFirstFailureMillis) {

	static RoundResult of(String scenario, int round, String client, List<WriteOutcome> outcomes,
			Set<Long> onFinalMaster, long faultNanos, long switchNanos, long endNanos) {
		List<WriteOutcome> acknowledged = outcomes.stream().filter(WriteOutcome::acknowledged).toList();
		List<WriteOutcome> durable = acknowledged.stream()
			.filter((outcome) -> onFinalMaster.contains(outcome.sequence()))
			.toList();
		double firstWrite = durable.stream()
			.filter((outcome) -> outcome.startNanos() >= switchNanos)
			.mapToLong(WriteOutcome::endNanos)
			.min()
			.stream()
			.mapToDouble((end) -> millis(end - switchNanos))
			.findFirst()
			.orElse(Double.NaN);
		int readOnly = (int) outcomes.stream()
			.filter((outcome) -> outcome.error() != null && outcome.error().contains("READONLY"))
			.count();
		return new RoundResult(scenario, round, client, millis(switchNanos - faultNanos), firstWrite,
				longestGap(acknowledged, faultNanos, endNanos), longestGap(durable, faultNanos, endNanos),
				outcomes.size(), outcomes.size() - acknowledged.size(), readOnly,
				acknowledged.size() - durable.size(), outcomes.stream()
					.filter((outcome) -> !outcome.acknowledged() && outcome.endNanos() >= faultNanos)
					.mapToLong(WriteOutcome::endNanos)
					.min()
					.stream()
					.mapToDouble((failedAt) -> millis(failedAt - faultNanos))
					.findFirst()
					.orElse(Double.NaN));
	}

	private static double longestGap(List<WriteOutcome> acknowledged, long fromNanos, long toNanos) {
		List<Long> ends = new ArrayList<>();
		ends.add(fromNanos);
		acknowledged.stream()
			.map(WriteOutcome::endNanos)
			.filter((end) -> end > fromNanos && end < toNanos)
			.sorted()
			.forEach(ends::add);
		ends.add(toNanos);
		long longest = 0;
		for (int i = 1; i < ends.size(); i++) {
			longest = Math.max(longest, ends.get(i) - ends.get(i - 1));
		}
		return millis(longest);
	}


	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

}
