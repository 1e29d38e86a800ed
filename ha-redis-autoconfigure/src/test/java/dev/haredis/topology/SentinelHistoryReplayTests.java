package dev.haredis.topology;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.haredis.test.history.HistoryRecord;
import dev.haredis.test.history.SentinelHistory;
import dev.haredis.topology.SentinelHistoryReplay.Replayed;
import dev.haredis.topology.SentinelHistoryReplay.Timed;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology's decisions on real sentinel histories, recorded from Redis 6.2 and 7.0 topologies (master,
 * replicas, three sentinels, {@code down-after-milliseconds} 2000) by {@code SentinelHistoryRecorder}; see
 * docs/testing.md. No process is started: each replay takes milliseconds.
 */
class SentinelHistoryReplayTests {

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void aKilledMasterIsLeftForThePromotedReplicaOnceAndNeverReturnedTo(String version) {
		assertOneFailoverFollowed(replay(version, "kill"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void aManualFailoverIsFollowedOnceThePromotedReplicaAnswersAsMaster(String version) {
		assertOneFailoverFollowed(replay(version, "manual-failover"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void aFrozenMasterIsLeftAndNotReturnedToWhenItResumesDemoted(String version) {
		Replayed replayed = replay(version, "frozen-master");
		Timed<MasterSwitchedEvent> switched = assertOneFailoverFollowed(replayed);
		assertThat(replayed.core().snapshot().master()).isNotEqualTo(switched.value().from());
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void sentinelsThatAreStaleAfterAFailoverDoNotSendTheApplicationBack(String version) {
		assertOneFailoverFollowed(replay(version, "stale-sentinel"));
		assertOneFailoverFollowed(replay(version, "stale-sentinel-restarted"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void announcedAddressesAreMappedAndTheFailoverFollowed(String version) {
		Replayed replayed = replay(version, "nat-announced");
		assertOneFailoverFollowed(replayed);
		// The replica and the sentinel that announce addresses where nothing listens are followed at their mapped
		// address, never at the announced one.
		assertThat(replayed.core().checkRequest().sentinels()).noneMatch((sentinel) -> sentinel.host().equals("127.0.0.3"));
		assertThat(replayed.decisions()).noneMatch((decided) -> decided.decision() instanceof TopologyDecision.CheckRoleThenSwitch check
				&& check.node().host().startsWith("127.0.0.2"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void anAbortedFailoverLeavesTheApplicationOnItsMaster(String version) {
		Replayed replayed = replay(version, "failover-aborted");
		assertThat(replayed.firstEvent("-failover-abort-no-good-slave")).isPresent();
		assertThat(replayed.switches()).isEmpty();
		assertThat(replayed.decisions()).noneMatch((decided) -> decided.decision() instanceof TopologyDecision.WatchPromotion);
		TopologySnapshot end = replayed.core().snapshot();
		assertThat(end.masterVerified()).isTrue();
		assertThat(end.failoverInProgress()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void aSentinelInTiltIsLostAndRegainedWithoutAnySwitch(String version) {
		Replayed replayed = replay(version, "tilt");
		assertThat(replayed.firstEvent("+tilt")).isPresent();
		assertThat(replayed.switches()).isEmpty();
		List<Timed<SentinelLostEvent>> lost = replayed.published(SentinelLostEvent.class);
		assertThat(lost).isNotEmpty();
		NodeAddress frozen = lost.get(0).value().sentinel();
		assertThat(replayed.published(SentinelRegainedEvent.class))
			.anySatisfy((regained) -> {
				assertThat(regained.value().sentinel()).isEqualTo(frozen);
				assertThat(regained.t()).isGreaterThan(lost.get(0).t());
			});
		assertThat(replayed.core().snapshot().masterVerified()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void restartedSentinelsAreLostAndRegainedWhileTheMasterStays(String version) {
		Replayed replayed = replay(version, "sentinels-restarted");
		assertThat(replayed.switches()).isEmpty();
		assertThat(replayed.published(SentinelLostEvent.class)).hasSizeGreaterThanOrEqualTo(3);
		assertThat(replayed.published(SentinelRegainedEvent.class)).hasSizeGreaterThanOrEqualTo(3);
		assertThat(replayed.core().snapshot().masterVerified()).isTrue();
		assertThat(replayed.core().snapshot().sentinelsReached()).isEqualTo(3);
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void aSentinelTheOthersAnnounceIsFollowedAsLearned(String version) {
		Replayed replayed = replay(version, "learned-sentinel");
		assertThat(replayed.switches()).isEmpty();
		List<TopologyDecision.Follow> learned = replayed.decisions()
			.stream()
			.map(SentinelHistoryReplay.Decided::decision)
			.filter(TopologyDecision.Follow.class::isInstance)
			.map(TopologyDecision.Follow.class::cast)
			.filter(TopologyDecision.Follow::learned)
			.toList();
		assertThat(learned).hasSize(1);
		assertThat(replayed.core().snapshot().sentinels()).hasSize(4);
	}

	/**
	 * One switch, after the fault, to a node that reported the master role at that moment, before the sentinels'
	 * own {@code +switch-master}, never back, and no flap to {@code DOWN} after it.
	 */
	private static Timed<MasterSwitchedEvent> assertOneFailoverFollowed(Replayed replayed) {
		long fault = replayed.history().faults().stream().mapToLong(HistoryRecord::t).min().orElseThrow();
		long announced = replayed.firstEvent("+switch-master").orElseThrow();
		List<Timed<MasterSwitchedEvent>> switches = replayed.switches();
		assertThat(switches).as("master switches in %s", replayed.history()).hasSize(1);
		Timed<MasterSwitchedEvent> switched = switches.get(0);
		// The promotion is watched from +selected-slave: the switch comes before the sentinels announce it (about
		// 700 ms before in every recording, within the recorder's 100 ms resolution).
		assertThat(switched.t()).isGreaterThan(fault).isLessThan(announced);
		assertThat(switched.value().cause()).startsWith("promotion of ");
		assertThat(replayed.roleAt(switched.value().to(), switched.t())).hasValue("master");
		// While the sentinels still name the old master, the promoted one in use stays verified: no flap to DOWN.
		assertThat(replayed.published(TopologyDegradedEvent.class))
			.filteredOn((degraded) -> degraded.t() > switched.t())
			.noneMatch((degraded) -> degraded.value().health() == TopologyHealth.DOWN);
		TopologySnapshot end = replayed.core().snapshot();
		assertThat(end.master()).isEqualTo(switched.value().to());
		assertThat(end.masterVerified()).isTrue();
		return switched;
	}

	private static Replayed replay(String version, String scenario) {
		return SentinelHistoryReplay.replay(SentinelHistory.fromResource("sentinel-histories/" + version + "/" + scenario + ".jsonl"));
	}

}
