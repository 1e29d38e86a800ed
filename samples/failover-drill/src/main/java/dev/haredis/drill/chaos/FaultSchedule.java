package dev.haredis.drill.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import dev.haredis.drill.chaos.ChaosHistory.FaultKind;

/**
 * The faults of a chaos run, drawn from a seed: the same seed and settings give the same schedule, so a failed run
 * is replayed exactly. A fault comes every {@code minGap} to {@code maxGap} after the previous one began, whether
 * that one is healed or not (a second fault inside the first's window is what single-fault drills never see); each
 * lasts a time drawn within its kind's bounds and is healed before the run ends, leaving it {@code settle} to
 * converge.
 *
 * @param seed the seed it was drawn from
 * @param faults the faults, by start
 */
public record FaultSchedule(long seed, List<ScheduledFault> faults) {

	/**
	 * Draw a schedule.
	 * @param seed the seed
	 * @param length how long the run is
	 * @param settle how long before the end every fault must be healed
	 * @param minGap the least time between two faults' starts
	 * @param maxGap the most time between two faults' starts
	 * @param kinds the kinds to draw from (those the machine can cause: partitions need iptables)
	 * @return the schedule
	 */
	public static FaultSchedule draw(long seed, Duration length, Duration settle, Duration minGap, Duration maxGap,
			Set<FaultKind> kinds) {
		if (kinds.isEmpty() || minGap.isNegative() || minGap.isZero() || maxGap.compareTo(minGap) < 0) {
			throw new IllegalArgumentException("A schedule needs kinds of fault and 0 < minGap <= maxGap");
		}
		List<FaultKind> choices = kinds.stream().sorted().toList();
		SplittableRandom random = new SplittableRandom(seed);
		long healedBy = length.minus(settle).toMillis();
		List<ScheduledFault> faults = new ArrayList<>();
		long start = between(random, minGap.toMillis(), maxGap.toMillis());
		while (start < healedBy) {
			FaultKind kind = choices.get(random.nextInt(choices.size()));
			long lasts = Math.min(between(random, least(kind), most(kind)), healedBy - start);
			faults.add(new ScheduledFault(start, kind, lasts));
			start += between(random, minGap.toMillis(), maxGap.toMillis());
		}
		return new FaultSchedule(seed, List.copyOf(faults));
	}

	/**
	 * Return the schedule, a line per fault, to print at the start of a run.
	 * @return the description
	 */
	public String describe() {
		return "seed " + this.seed + ", " + this.faults.size() + " faults:\n" + this.faults.stream()
			.map((fault) -> String.format(Locale.ROOT, "  %8.1f s  %-22s %5.1f s", fault.startMillis() / 1000.0, fault.kind(),
					fault.lastsMillis() / 1000.0))
			.collect(Collectors.joining("\n"));
	}

	private static long between(SplittableRandom random, long least, long most) {
		return (most > least) ? random.nextLong(least, most + 1) : least;
	}

	/**
	 * The shortest a fault of a kind lasts: a frozen or cut-off master past {@code down-after-milliseconds} (2 s in
	 * the local topology) so that the sentinels act; faults done at once (a manual failover, killed connections, a
	 * restarted application) last no time of their own.
	 */
	private static long least(FaultKind kind) {
		return switch (kind) {
			case MANUAL_FAILOVER, KILL_CLIENTS, RESTART_APPLICATION -> 0;
			case RESTART_SENTINEL, RESTART_ALL_SENTINELS -> 1_000;
			case KILL_MASTER, KILL_REPLICA, LATENCY, PARTITION_APPLICATION -> 3_000;
			case FREEZE_MASTER, PARTITION_MASTER -> 4_000;
		};
	}

	private static long most(FaultKind kind) {
		return switch (kind) {
			case MANUAL_FAILOVER, KILL_CLIENTS, RESTART_APPLICATION -> 0;
			case RESTART_SENTINEL, RESTART_ALL_SENTINELS -> 5_000;
			case KILL_MASTER, KILL_REPLICA, LATENCY, PARTITION_APPLICATION, FREEZE_MASTER, PARTITION_MASTER -> 12_000;
		};
	}

	/**
	 * One fault of the schedule.
	 *
	 * @param startMillis when it begins, from the run's start
	 * @param kind what it does
	 * @param lastsMillis how long until it is healed
	 */
	public record ScheduledFault(long startMillis, FaultKind kind, long lastsMillis) {

		/**
		 * Return when it is healed, from the run's start.
		 * @return the time
		 */
		public long healedAtMillis() {
			return this.startMillis + this.lastsMillis;
		}

	}

}
