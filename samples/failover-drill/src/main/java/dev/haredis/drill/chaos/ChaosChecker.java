package dev.haredis.drill.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.haredis.drill.chaos.ChaosHistory.Fault;
import dev.haredis.drill.chaos.ChaosHistory.FaultKind;
import dev.haredis.drill.chaos.ChaosHistory.HealthSample;
import dev.haredis.drill.chaos.ChaosHistory.Missed;
import dev.haredis.drill.chaos.ChaosHistory.Write;
import dev.haredis.drill.chaos.ChaosHistory.WriteKind;

/**
 * Judges a chaos run's {@link ChaosHistory} against every promise of the starter, one {@link Verdict} each: what
 * must never happen (a durable write lost, an acknowledged task never run, a pub/sub gap nobody was told of,
 * {@code READONLY} after a verified switch, health that lies, leaked threads or connections) and what is only
 * counted (plain writes lost, per kind of fault, within what docs/failover.md says each may lose). No I/O: the run
 * records, this reads.
 */
public final class ChaosChecker {

	private static final int SHOWN = 5;

	private final ChaosBounds bounds;

	/**
	 * Create a checker.
	 * @param bounds what the run may show and still pass
	 */
	public ChaosChecker(ChaosBounds bounds) {
		this.bounds = bounds;
	}

	/**
	 * Judge a run.
	 * @param history what it recorded
	 * @return one verdict per promise, in a fixed order
	 */
	public List<Verdict> check(ChaosHistory history) {
		List<Verdict> verdicts = new ArrayList<>();
		verdicts.add(lost(history, WriteKind.DURABLE));
		verdicts.add(lost(history, WriteKind.FENCED));
		verdicts.addAll(lostPlainWrites(history));
		verdicts.add(tasksNeverRun(history));
		verdicts.add(tasksRunAgain(history));
		verdicts.add(uncoveredGaps(history));
		verdicts.add(readOnlyAfterVerifiedSwitch(history));
		verdicts.add(upWithoutMaster(history));
		verdicts.add(downWhileWriting(history));
		verdicts.add(new Verdict("operations that never completed", history.operationsNeverCompleted(), 0L, ""));
		verdicts.addAll(resources(history));
		return verdicts;
	}

	private Verdict lost(ChaosHistory history, WriteKind kind) {
		List<String> lost = lostWrites(history, kind).stream().map(Write::key).toList();
		return new Verdict(kind.name().toLowerCase() + " writes acknowledged, then lost", lost.size(), 0L, first(lost));
	}

	private static List<Write> lostWrites(ChaosHistory history, WriteKind kind) {
		return history.writes()
			.stream()
			.filter((write) -> write.kind() == kind && write.acknowledgedAt() != null
					&& !history.keysOnFinalMaster().contains(write.key()))
			.toList();
	}

	/**
	 * Plain writes may be lost to a fault: counted per kind of fault, each kind within its bound times how often it
	 * came; none may be lost outside every fault.
	 */
	private List<Verdict> lostPlainWrites(ChaosHistory history) {
		Map<FaultKind, List<String>> byKind = new EnumMap<>(FaultKind.class);
		List<String> outside = new ArrayList<>();
		for (Write write : lostWrites(history, WriteKind.PLAIN)) {
			long at = write.acknowledgedAt();
			Optional<Fault> cause = history.faults()
				.stream()
				.filter((fault) -> fault.start() - this.bounds.lagMillis() <= at
						&& at <= fault.healedAt() + this.bounds.settleMillis())
				.findFirst();
			cause.ifPresentOrElse((fault) -> byKind.computeIfAbsent(fault.kind(), (kind) -> new ArrayList<>())
				.add(write.key()), () -> outside.add(write.key()));
		}
		Map<FaultKind, Long> faults = history.faults()
			.stream()
			.collect(Collectors.groupingBy(Fault::kind, () -> new EnumMap<>(FaultKind.class), Collectors.counting()));
		List<Verdict> verdicts = new ArrayList<>();
		faults.forEach((kind, count) -> {
			List<String> lost = byKind.getOrDefault(kind, List.of());
			verdicts.add(new Verdict("plain writes lost to " + count + " x " + kind, lost.size(),
					this.bounds.plainLoss(kind) * count, first(lost)));
		});
		verdicts.add(new Verdict("plain writes lost outside any fault", outside.size(), 0L, first(outside)));
		return verdicts;
	}

	private static Verdict tasksNeverRun(ChaosHistory history) {
		List<String> never = history.tasks()
			.stream()
			.filter((task) -> task.acknowledged() && history.runs().getOrDefault(task.id(), 0) == 0)
			.map(ChaosHistory.Task::id)
			.toList();
		return new Verdict("tasks acknowledged at enqueue, never run", never.size(), 0L, first(never));
	}

	private static Verdict tasksRunAgain(ChaosHistory history) {
		long again = history.runs().values().stream().filter((runs) -> runs > 1).mapToLong((runs) -> runs - 1).sum();
		return new Verdict("task runs beyond the first", again, null, "");
	}

	/**
	 * A message missed is covered when it was published after a fault began and before the subscriptions were back
	 * on the new master of a switch that fault caused, as a {@code MessagesMayHaveBeenMissedEvent} said.
	 */
	private Verdict uncoveredGaps(ChaosHistory history) {
		List<String> uncovered = new ArrayList<>();
		history.published().forEach((sequence, at) -> {
			if (!history.received().contains(sequence) && !covered(history, at)) {
				uncovered.add(sequence + " at " + at + " ms");
			}
		});
		return new Verdict("pub/sub messages missed without a MessagesMayHaveBeenMissedEvent", uncovered.size(), 0L,
				first(uncovered));
	}

	private boolean covered(ChaosHistory history, long at) {
		for (Missed missed : history.missed()) {
			boolean beforeResumed = missed.resumedAt() == null || at <= missed.resumedAt();
			boolean afterItsFault = history.faults()
				.stream()
				.anyMatch((fault) -> fault.start() - this.bounds.lagMillis() <= at
						&& fault.start() <= missed.switchedAt());
			if (beforeResumed && afterItsFault) {
				return true;
			}
		}
		return false;
	}

	/**
	 * {@code READONLY} is a violation once the monitor verified a new master and no fault came since.
	 */
	private static Verdict readOnlyAfterVerifiedSwitch(ChaosHistory history) {
		List<String> late = new ArrayList<>();
		for (long at : history.readOnlyErrors()) {
			Optional<Long> verified = history.verifiedSwitches().stream().filter((switched) -> switched <= at).max(Long::compare);
			boolean faultSince = verified.isPresent() && history.faults()
				.stream()
				.anyMatch((fault) -> verified.get() < fault.start() && fault.start() <= at);
			if (verified.isPresent() && !faultSince) {
				late.add(at + " ms");
			}
		}
		return new Verdict("READONLY after a verified switch", late.size(), 0L, first(late));
	}

	/**
	 * Health must stop saying {@code UP} within the tolerance of a fault that leaves no reachable master, until a
	 * new master is verified.
	 */
	private Verdict upWithoutMaster(ChaosHistory history) {
		List<String> lies = new ArrayList<>();
		for (Fault fault : history.faults()) {
			if (!fault.kind().masterUnreachable()) {
				continue;
			}
			long end = history.verifiedSwitches()
				.stream()
				.filter((switched) -> switched >= fault.start())
				.min(Long::compare)
				.map((switched) -> Math.min(switched, fault.healedAt()))
				.orElse(fault.healedAt());
			long from = fault.start() + this.bounds.healthToleranceMillis();
			history.health()
				.stream()
				.filter((sample) -> sample.at() > from && sample.at() < end && "UP".equals(sample.status()))
				.findFirst()
				.ifPresent((sample) -> lies.add(fault.kind() + " at " + fault.start() + " ms: UP at " + sample.at() + " ms"));
		}
		return new Verdict("UP while no master was reachable", lies.size(), 0L, first(lies));
	}

	/**
	 * Health must not say {@code DOWN} for longer than the tolerance while writes are acknowledged.
	 */
	private Verdict downWhileWriting(ChaosHistory history) {
		List<String> lies = new ArrayList<>();
		List<HealthSample> samples = history.health();
		int i = 0;
		while (i < samples.size()) {
			if (!"DOWN".equals(samples.get(i).status())) {
				i++;
				continue;
			}
			long from = samples.get(i).at();
			int j = i;
			while (j + 1 < samples.size() && "DOWN".equals(samples.get(j + 1).status())) {
				j++;
			}
			long to = (j + 1 < samples.size()) ? samples.get(j + 1).at() : samples.get(j).at();
			List<Long> acknowledged = history.writes()
				.stream()
				.map(Write::acknowledgedAt)
				.filter((at) -> at != null && from <= at && at <= to)
				.sorted()
				.toList();
			if (!acknowledged.isEmpty()
					&& acknowledged.get(acknowledged.size() - 1) - acknowledged.get(0) > this.bounds.healthToleranceMillis()) {
				lies.add("DOWN " + from + "-" + to + " ms, writes acknowledged " + acknowledged.get(0) + "-"
						+ acknowledged.get(acknowledged.size() - 1) + " ms");
			}
			i = j + 1;
		}
		return new Verdict("DOWN while writes were acknowledged", lies.size(), 0L, first(lies));
	}

	private List<Verdict> resources(ChaosHistory history) {
		ChaosHistory.Resources start = history.start();
		ChaosHistory.Resources end = history.end();
		List<Verdict> verdicts = new ArrayList<>();
		verdicts.add(new Verdict("threads beyond the start's", Math.max(0, end.threads() - start.threads()),
				(long) this.bounds.threadGrowth(), start.threads() + " -> " + end.threads()));
		int most = start.connectionsPerNode().values().stream().mapToInt(Integer::intValue).max().orElse(0);
		List<String> grown = end.connectionsPerNode()
			.entrySet()
			.stream()
			.filter((node) -> node.getValue() - most > this.bounds.connectionGrowth())
			.map((node) -> node.getKey() + ": " + node.getValue())
			.toList();
		verdicts.add(new Verdict("nodes with more connections than the start's most (" + most + ") allows",
				grown.size(), 0L, first(grown)));
		long heapLimit = (long) (start.heapBytes() * this.bounds.heapGrowthFactor());
		verdicts.add(new Verdict("heap beyond " + this.bounds.heapGrowthFactor() + " x the start's",
				(end.heapBytes() > heapLimit) ? 1 : 0, 0L, start.heapBytes() + " -> " + end.heapBytes() + " bytes"));
		return verdicts;
	}

	private static String first(Collection<String> cases) {
		return cases.stream().limit(SHOWN).collect(Collectors.joining(", "))
				+ ((cases.size() > SHOWN) ? ", ..." : "");
	}

}
