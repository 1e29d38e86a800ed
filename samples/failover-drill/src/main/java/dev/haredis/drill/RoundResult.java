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
 * @param lostAfterFirstFailure acknowledged writes issued after that first failure and missing on the final master
 * @param faultToHealthNotUpMillis from the fault to the client's health leaving {@code UP} (partitions only)
 */
record RoundResult(String scenario, int round, String client, double faultToSwitchMillis,
		double switchToFirstWriteMillis, double longestAckGapMillis, double longestDurableGapMillis, int writes,
		int failed, int readOnly, int lost, double faultToFirstFailureMillis, int lostAfterFirstFailure,
		double faultToHealthNotUpMillis) {

	static RoundResult of(String scenario, int round, String client, List<WriteOutcome> outcomes,
			Set<Long> onFinalMaster, long faultNanos, long switchNanos, long endNanos, long healthNotUpNanos) {
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
		long firstFailure = outcomes.stream()
			.filter((outcome) -> !outcome.acknowledged() && outcome.endNanos() >= faultNanos)
			.mapToLong(WriteOutcome::endNanos)
			.min()
			.orElse(0);
		int lostAfterFirstFailure = (firstFailure == 0) ? 0 : (int) acknowledged.stream()
			.filter((outcome) -> outcome.startNanos() > firstFailure && !onFinalMaster.contains(outcome.sequence()))
			.count();
		return new RoundResult(scenario, round, client, millis(switchNanos - faultNanos), firstWrite,
				longestGap(acknowledged, faultNanos, endNanos), longestGap(durable, faultNanos, endNanos),
				outcomes.size(), outcomes.size() - acknowledged.size(), readOnly,
				acknowledged.size() - durable.size(), (firstFailure == 0) ? Double.NaN : millis(firstFailure - faultNanos),
				lostAfterFirstFailure,
				(healthNotUpNanos == 0) ? Double.NaN : millis(healthNotUpNanos - faultNanos));
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
