package dev.haredis.drill.chaos;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.haredis.drill.chaos.ChaosHistory.FaultKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FaultScheduleTests {

	private static final Duration HOUR = Duration.ofHours(1);

	private static final Duration SETTLE = Duration.ofSeconds(30);

	private static final Duration MIN_GAP = Duration.ofSeconds(6);

	private static final Duration MAX_GAP = Duration.ofSeconds(14);

	private static final Set<FaultKind> ALL = EnumSet.allOf(FaultKind.class);

	@Test
	void theSameSeedGivesTheSameScheduleAnotherSeedAnother() {
		FaultSchedule first = FaultSchedule.draw(42, HOUR, SETTLE, MIN_GAP, MAX_GAP, ALL);
		assertThat(FaultSchedule.draw(42, HOUR, SETTLE, MIN_GAP, MAX_GAP, ALL)).isEqualTo(first);
		assertThat(FaultSchedule.draw(43, HOUR, SETTLE, MIN_GAP, MAX_GAP, ALL).faults()).isNotEqualTo(first.faults());
		assertThat(first.describe()).startsWith("seed 42, " + first.faults().size() + " faults:");
	}

	@Test
	void anHourHoldsMoreThanAHundredFaultsOfEveryKindAllHealedBeforeTheSettlingTime() {
		FaultSchedule schedule = FaultSchedule.draw(7, HOUR, SETTLE, MIN_GAP, MAX_GAP, ALL);
		assertThat(schedule.faults()).hasSizeGreaterThan(100);
		assertThat(schedule.faults()).extracting(FaultSchedule.ScheduledFault::kind)
			.containsAll(EnumSet.allOf(FaultKind.class));
		assertThat(schedule.faults()).allSatisfy((fault) -> {
			assertThat(fault.lastsMillis()).isBetween(0L, 12_000L);
			assertThat(fault.healedAtMillis()).isLessThanOrEqualTo(HOUR.minus(SETTLE).toMillis());
		});
		for (int i = 1; i < schedule.faults().size(); i++) {
			long gap = schedule.faults().get(i).startMillis() - schedule.faults().get(i - 1).startMillis();
			assertThat(gap).isBetween(MIN_GAP.toMillis(), MAX_GAP.toMillis());
		}
		assertThat(schedule.faults()).as("some faults begin before the previous one is healed")
			.anySatisfy((fault) -> {
				int i = schedule.faults().indexOf(fault);
				assertThat(i).isPositive();
				assertThat(fault.startMillis()).isLessThan(schedule.faults().get(i - 1).healedAtMillis());
			});
	}

	@Test
	void onlyTheKindsTheMachineCanCauseAreDrawn() {
		Set<FaultKind> withoutPartitions = EnumSet.complementOf(
				EnumSet.of(FaultKind.PARTITION_MASTER, FaultKind.PARTITION_APPLICATION));
		assertThat(FaultSchedule.draw(1, HOUR, SETTLE, MIN_GAP, MAX_GAP, withoutPartitions).faults())
			.extracting(FaultSchedule.ScheduledFault::kind)
			.doesNotContain(FaultKind.PARTITION_MASTER, FaultKind.PARTITION_APPLICATION);
	}

	@Test
	void refusesSettingsThatCannotMakeASchedule() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FaultSchedule.draw(1, HOUR, SETTLE, MIN_GAP, MAX_GAP, Set.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FaultSchedule.draw(1, HOUR, SETTLE, Duration.ZERO, MAX_GAP, ALL));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FaultSchedule.draw(1, HOUR, SETTLE, MAX_GAP, MIN_GAP, ALL));
	}

}
