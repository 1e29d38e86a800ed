package dev.haredis.topology;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.haredis.test.history.HistoryRecord;
import dev.haredis.test.history.SentinelCommand;
import dev.haredis.test.history.SentinelHistory;
import dev.haredis.topology.SentinelHistoryReplay.Replayed;
import dev.haredis.topology.ReplayTransport.Timed;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology monitor, shell and core, on real sentinel histories recorded from Redis 6.2 and 7.0 topologies (master,
 * replicas, three sentinels, {@code down-after-milliseconds} 2000) by {@code SentinelHistoryRecorder}; see
 * docs/testing.md. {@link SentinelHistoryReplay} runs the real {@link SentinelTopology} on a virtual clock where each
 * answer takes the time it took live; no process is started, and each replay takes milliseconds. Times are the
 * recording's milliseconds.
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
		assertThat(replayed.topology().getSnapshot().master()).isNotEqualTo(switched.value().from());
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
		assertThat(replayed.transport().followed()).noneMatch((sentinel) -> sentinel.host().equals("127.0.0.3"));
		assertThat(replayed.transport().rolesAsked()).noneMatch((asked) -> asked.value().host().startsWith("127.0.0.2"));
		assertThat(replayed.transport().probes()).noneMatch((asked) -> asked.value().host().startsWith("127.0.0.2"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void anAbortedFailoverLeavesTheApplicationOnItsMaster(String version) {
		Replayed replayed = replay(version, "failover-aborted");
		assertThat(replayed.firstEvent("-failover-abort-no-good-slave")).isPresent();
		assertThat(replayed.switches()).isEmpty();
		TopologySnapshot end = replayed.topology().getSnapshot();
		assertThat(end.masterVerified()).isTrue();
		assertThat(end.failoverInProgress()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void withoutMonitoringEachConnectionFindsTheMasterOnTheTopologyThread(String version) {
		Replayed replayed = SentinelHistoryReplay.replay(
				SentinelHistory.fromResource("sentinel-histories/" + version + "/kill.jsonl"), false);
		assertThat(replayed.switches()).singleElement().satisfies((switched) -> {
			assertThat(switched.value().cause()).isEqualTo("discovery");
			// A new connection asks again once the last verification is 250 ms old: the switch follows the first
			// sentinel answer naming the new master by no more than that.
			long named = replayed.history()
				.records()
				.stream()
				.filter(HistoryRecord.SentinelAnswer.class::isInstance)
				.map(HistoryRecord.SentinelAnswer.class::cast)
				.filter((answer) -> answer.command() == SentinelCommand.GET_MASTER_ADDR
						&& answer.address().filter(switched.value().to().toString()::equals).isPresent())
				.mapToLong(HistoryRecord::t)
				.min()
				.orElseThrow();
			assertThat(switched.t()).isBetween(named, named + MasterRoute.REUSE_VERIFICATION.toMillis() + 20);
			assertThat(replayed.routes()).filteredOn((route) -> route.t() > switched.t())
				.allMatch((route) -> route.value().equals(switched.value().to()));
		});
		assertThat(replayed.routes()).as("new connections go to a replica")
			.noneMatch((route) -> replayed.roleAt(route.value(), route.t()).filter("slave"::equals).isPresent());
		assertThat(replayed.offThread()).as("told off the topology thread").isEmpty();
		assertThat(replayed.transport().followed()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void aReplicaThatRefusesItsPromotionIsWatchedButNeverUsed(String version) {
		Replayed replayed = replay(version, "promotion-refused");
		long selected = replayed.firstEvent("+selected-slave").orElseThrow();
		long aborted = replayed.firstEvent("-failover-abort-slave-timeout").orElseThrow();
		assertThat(replayed.switches()).isEmpty();
		// The promotion is watched from the selection, and the watch ends with the abort.
		assertThat(replayed.transport().probes()).singleElement().satisfies((probe) -> {
			assertThat(probe.t()).isBetween(selected, selected + 5);
			assertThat(replayed.roleAt(probe.value(), aborted)).hasValue("slave");
		});
		assertThat(replayed.transport().probesClosed()).singleElement()
			.satisfies((closed) -> assertThat(closed.t()).isBetween(aborted, aborted + 5));
		assertThat(replayed.routes()).as("new connections go to a replica")
			.noneMatch((route) -> replayed.roleAt(route.value(), route.t()).filter("slave"::equals).isPresent());
		TopologySnapshot end = replayed.topology().getSnapshot();
		assertThat(end.masterVerified()).isTrue();
		assertThat(end.failoverInProgress()).isFalse();
		assertThat(replayed.offThread()).isEmpty();
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
		assertThat(replayed.topology().getSnapshot().masterVerified()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void restartedSentinelsAreLostAndRegainedWhileTheMasterStays(String version) {
		Replayed replayed = replay(version, "sentinels-restarted");
		assertThat(replayed.switches()).isEmpty();
		assertThat(replayed.published(SentinelLostEvent.class)).hasSizeGreaterThanOrEqualTo(3);
		assertThat(replayed.published(SentinelRegainedEvent.class)).hasSizeGreaterThanOrEqualTo(3);
		assertThat(replayed.topology().getSnapshot().masterVerified()).isTrue();
		assertThat(replayed.topology().getSnapshot().sentinelsReached()).isEqualTo(3);
	}

	@ParameterizedTest
	@ValueSource(strings = { "6.2", "7.0" })
	void aSentinelTheOthersAnnounceIsFollowedAsLearned(String version) {
		Replayed replayed = replay(version, "learned-sentinel");
		assertThat(replayed.switches()).isEmpty();
		assertThat(replayed.transport().learned()).hasSize(1);
		assertThat(replayed.topology().getSnapshot().sentinels()).hasSize(4);
	}

	/**
	 * One switch, after the fault, no later than 30 ms after the promoted replica's first recorded {@code master}
	 * answer (one poll interval plus 20 ms), before the sentinels' own {@code +switch-master}, never back; no new
	 * connection ever sent to a node the recording shows as a replica then; no flap to {@code DOWN} after it; every
	 * listener told on the topology thread.
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
		long promoted = replayed.firstRole(switched.value().to(), "master", fault).orElseThrow();
		assertThat(switched.t()).as("switched at %d, promoted replica first answered master at %d", switched.t(), promoted)
			.isLessThanOrEqualTo(promoted + 10 + 20);
		assertThat(replayed.routes()).as("new connections go to a replica")
			.noneMatch((route) -> replayed.roleAt(route.value(), route.t()).filter("slave"::equals).isPresent());
		assertThat(replayed.routes()).filteredOn((route) -> route.t() > switched.t())
			.allMatch((route) -> route.value().equals(switched.value().to()));
		assertThat(replayed.offThread()).as("told off the topology thread").isEmpty();
		// While the sentinels still name the old master, the promoted one in use stays verified: no flap to DOWN.
		assertThat(replayed.published(TopologyDegradedEvent.class))
			.filteredOn((degraded) -> degraded.t() > switched.t())
			.noneMatch((degraded) -> degraded.value().health() == TopologyHealth.DOWN);
		TopologySnapshot end = replayed.topology().getSnapshot();
		assertThat(end.master()).isEqualTo(switched.value().to());
		assertThat(end.masterVerified()).isTrue();
		return switched;
	}

	private static Replayed replay(String version, String scenario) {
		return SentinelHistoryReplay.replay(SentinelHistory.fromResource("sentinel-histories/" + version + "/" + scenario + ".jsonl"));
	}

}
