package dev.haredis.drill.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.haredis.drill.chaos.ChaosHistory.Fault;
import dev.haredis.drill.chaos.ChaosHistory.FaultKind;
import dev.haredis.drill.chaos.ChaosHistory.HealthSample;
import dev.haredis.drill.chaos.ChaosHistory.Missed;
import dev.haredis.drill.chaos.ChaosHistory.Resources;
import dev.haredis.drill.chaos.ChaosHistory.Task;
import dev.haredis.drill.chaos.ChaosHistory.Write;
import dev.haredis.drill.chaos.ChaosHistory.WriteKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker fed histories with one violation each: it must report that one, and only that one.
 */
class ChaosCheckerTests {

	private static final ChaosBounds BOUNDS = new ChaosBounds(3_000, 50, 15_000,
			Map.of(FaultKind.KILL_MASTER, 100L, FaultKind.MANUAL_FAILOVER, 5L), 2, 3, 1.5);

	private final ChaosChecker checker = new ChaosChecker(BOUNDS);

	/** A master killed at 10 s, a replica verified as the new master at 14 s, healed (restarted) at 20 s. */
	private final History history = new History();

	@Test
	void aCleanRunPassesEveryCheck() {
		assertThat(this.checker.check(this.history.build())).allSatisfy((verdict) -> assertThat(verdict.passed())
			.as(verdict.toString())
			.isTrue());
	}

	@Test
	void aLostDurableWriteFails() {
		this.history.write("d1", WriteKind.DURABLE, 5_000L, false);
		assertOnlyFailure("durable writes acknowledged, then lost", 1, "d1");
	}

	@Test
	void aDurableWriteThatFailedIsNotLost() {
		this.history.write("d1", WriteKind.DURABLE, null, false);
		assertThat(this.checker.check(this.history.build())).allMatch(Verdict::passed);
	}

	@Test
	void aLostFencedWriteFails() {
		this.history.write("f1", WriteKind.FENCED, 12_000L, false);
		assertOnlyFailure("fenced writes acknowledged, then lost", 1, "f1");
	}

	@Test
	void plainWritesLostToAFaultAreCountedAgainstItsBound() {
		for (int i = 0; i < 100; i++) {
			this.history.write("p" + i, WriteKind.PLAIN, 9_990L + i, false);
		}
		List<Verdict> verdicts = this.checker.check(this.history.build());
		assertThat(verdicts).allMatch(Verdict::passed);
		assertThat(verdicts).filteredOn((verdict) -> verdict.check().equals("plain writes lost to 1 x KILL_MASTER"))
			.singleElement()
			.satisfies((verdict) -> assertThat(verdict.count()).isEqualTo(100));
		this.history.write("p100", WriteKind.PLAIN, 34_000L, false);
		assertOnlyFailure("plain writes lost to 1 x KILL_MASTER", 101, "p0");
	}

	@Test
	void aPlainWriteLostOutsideEveryFaultFails() {
		this.history.write("p1", WriteKind.PLAIN, 2_000L, false);
		assertOnlyFailure("plain writes lost outside any fault", 1, "p1");
	}

	@Test
	void anAcknowledgedTaskNeverRunFails() {
		this.history.tasks.add(new Task("t9", false, true));
		assertOnlyFailure("tasks acknowledged at enqueue, never run", 1, "t9");
	}

	@Test
	void tasksRunAgainAreCountedOnly() {
		this.history.runs.put("t1", 3);
		List<Verdict> verdicts = this.checker.check(this.history.build());
		assertThat(verdicts).allMatch(Verdict::passed);
		assertThat(verdicts).filteredOn((verdict) -> verdict.check().equals("task runs beyond the first"))
			.singleElement()
			.satisfies((verdict) -> assertThat(verdict.count()).isEqualTo(2));
	}

	@Test
	void aMessageMissedOutsideAnyReportedSwitchFails() {
		this.history.published.put(7L, 2_000L);
		assertOnlyFailure("pub/sub messages missed without a MessagesMayHaveBeenMissedEvent", 1, "7 at 2000 ms");
	}

	@Test
	void aMessageMissedDuringAReportedSwitchIsCoveredOneMissedAfterTheSubscriptionsCameBackIsNot() {
		this.history.published.put(7L, 12_000L);
		assertThat(this.checker.check(this.history.build())).allMatch(Verdict::passed);
		this.history.published.put(8L, 15_000L);
		assertOnlyFailure("pub/sub messages missed without a MessagesMayHaveBeenMissedEvent", 1, "8 at 15000 ms");
	}

	@Test
	void withoutTheEventEveryMessageMissedInTheSwitchIsAGap() {
		this.history.missed.clear();
		assertOnlyFailure("pub/sub messages missed without a MessagesMayHaveBeenMissedEvent", 9, "10000 at 10000 ms");
	}

	@Test
	void readOnlyBeforeTheVerifiedSwitchIsFineAfterItFails() {
		this.history.readOnlyErrors.add(12_000L);
		assertThat(this.checker.check(this.history.build())).allMatch(Verdict::passed);
		this.history.readOnlyErrors.add(15_000L);
		assertOnlyFailure("READONLY after a verified switch", 1, "15000 ms");
	}

	@Test
	void upWhileTheMasterIsGoneFails() {
		this.history.health.add(new HealthSample(13_500, "UP"));
		this.history.health.sort((a, b) -> Long.compare(a.at(), b.at()));
		assertOnlyFailure("UP while no master was reachable", 1, "KILL_MASTER at 10000 ms");
	}

	@Test
	void upWithinTheToleranceOfTheFaultIsFine() {
		this.history.health.add(new HealthSample(12_500, "UP"));
		this.history.health.sort((a, b) -> Long.compare(a.at(), b.at()));
		assertThat(this.checker.check(this.history.build())).allMatch(Verdict::passed);
	}

	@Test
	void downWhileWritesAreAcknowledgedFails() {
		this.history.health.replaceAll((sample) -> (sample.at() >= 25_000 && sample.at() <= 30_000)
				? new HealthSample(sample.at(), "DOWN") : sample);
		for (long at = 25_000; at <= 30_000; at += 500) {
			this.history.write("w" + at, WriteKind.PLAIN, at, true);
		}
		assertOnlyFailure("DOWN while writes were acknowledged", 1, "DOWN 25000");
	}

	@Test
	void leakedThreadsConnectionsAndHeapFail() {
		this.history.end = new Resources(43, Map.of("127.0.0.1:6379", 9), 300);
		List<Verdict> failed = this.checker.check(this.history.build())
			.stream()
			.filter((verdict) -> !verdict.passed())
			.toList();
		assertThat(failed).extracting(Verdict::check)
			.containsExactly("threads beyond the start's", "nodes with more connections than the start's most (5) allows",
					"heap beyond 1.5 x the start's");
	}

	@Test
	void anOperationThatNeverCompletedFails() {
		this.history.neverCompleted = 1;
		assertOnlyFailure("operations that never completed", 1, "");
	}

	private void assertOnlyFailure(String check, long count, String detail) {
		List<Verdict> failed = this.checker.check(this.history.build())
			.stream()
			.filter((verdict) -> !verdict.passed())
			.toList();
		assertThat(failed).singleElement().satisfies((verdict) -> {
			assertThat(verdict.check()).isEqualTo(check);
			assertThat(verdict.count()).isEqualTo(count);
			assertThat(verdict.detail()).contains(detail);
			assertThat(verdict.toString()).startsWith("FAIL " + check);
		});
	}

	/**
	 * A clean run to spoil: writes every 500 ms all found again, one task run once, messages all received, health
	 * UP but between the kill and the verified switch.
	 */
	private static final class History {

		final List<Write> writes = new ArrayList<>();

		final Set<String> found = new HashSet<>();

		final List<Task> tasks = new ArrayList<>(List.of(new Task("t1", true, true)));

		final Map<String, Integer> runs = new HashMap<>(Map.of("t1", 1));

		final Map<Long, Long> published = new LinkedHashMap<>();

		final Set<Long> received = new HashSet<>();

		final List<Missed> missed = new ArrayList<>(List.of(new Missed(14_000, 14_300L)));

		final List<Long> readOnlyErrors = new ArrayList<>();

		final List<HealthSample> health = new ArrayList<>();

		Resources end = new Resources(41, Map.of("127.0.0.1:6379", 5, "127.0.0.1:6380", 4), 140);

		long neverCompleted;

		History() {
			for (long at = 0; at < 40_000; at += 500) {
				if (at < 10_000 || at > 14_000) {
					write("k" + at, WriteKind.PLAIN, at, true);
				}
				this.published.put(at, at);
				if (at < 10_000 || at > 14_300) {
					this.received.add(at);
				}
				this.health.add(new HealthSample(at, (at >= 10_000 && at < 14_000) ? "DOWN" : "UP"));
			}
		}

		void write(String key, WriteKind kind, Long acknowledgedAt, boolean found) {
			this.writes.add(new Write(key, kind, acknowledgedAt));
			if (found) {
				this.found.add(key);
			}
		}

		ChaosHistory build() {
			return new ChaosHistory(this.writes, this.found, List.of(new Fault(FaultKind.KILL_MASTER, 10_000, 20_000)),
					this.tasks, this.runs, this.published, this.received, this.missed, this.readOnlyErrors,
					List.of(14_000L), this.health, this.neverCompleted,
					new Resources(40, Map.of("127.0.0.1:6379", 5, "127.0.0.1:6380", 4), 100), this.end);
		}

	}

}
