package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology's decisions, input by input, with no process started and no clock read.
 */
class TopologyCoreTests {

	private static final NodeAddress SENTINEL_A = new NodeAddress("127.0.0.1", 26379);

	private static final NodeAddress SENTINEL_B = new NodeAddress("127.0.0.1", 26380);

	private static final NodeAddress SENTINEL_C = new NodeAddress("127.0.0.1", 26381);

	private static final NodeAddress LEARNED = new NodeAddress("127.0.0.1", 26382);

	private static final NodeAddress OLD = new NodeAddress("127.0.0.1", 6379);

	private static final NodeAddress NEW = new NodeAddress("127.0.0.1", 6380);

	private static final NodeAddress STRANGER = new NodeAddress("127.0.0.9", 6379);

	private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

	private final TopologyCore core = new TopologyCore("mymaster", List.of(SENTINEL_A, SENTINEL_B, SENTINEL_C),
			new MonitorSettings(true, Duration.ofSeconds(1), 3, 2), true, new AnnouncedAddresses(AddressMap.NONE));

	/** The check the core asked for last, not answered yet. */
	private TopologyDecision.@Nullable AskSentinels asked;

	@Test
	void startFollowsTheConfiguredSentinelsWhileItFindsTheMaster() {
		assertThat(this.core.start()).containsExactly(new TopologyDecision.Follow(SENTINEL_A, false, null),
				new TopologyDecision.Follow(SENTINEL_B, false, null), new TopologyDecision.Follow(SENTINEL_C, false, null),
				new TopologyDecision.Discover());
	}

	@Test
	void startUpEndsAfterTheFirstCheckWhenMonitoring() {
		this.core.start();
		List<TopologyDecision> found = record(this.core.discovered(discovered(OLD), null, T0));
		assertThat(found).contains(new TopologyDecision.AnswerWaiters(OLD, null))
			.noneMatch(TopologyDecision.Started.class::isInstance)
			.anyMatch(TopologyDecision.AskSentinels.class::isInstance);
		assertThat(check(allNaming(OLD), OLD, T0.plusMillis(5))).contains(new TopologyDecision.Started());
		assertThat(this.core.snapshot().master()).isEqualTo(OLD);
		assertThat(this.core.route().usableAt(T0.plusSeconds(3600))).isEqualTo(OLD);
	}

	@Test
	void aFailedDiscoveryAtStartFailsTheStartWhenFailFast() {
		this.core.start();
		MasterDiscoveryException failure = noMaster();
		assertThat(this.core.discovered(null, failure, T0)).contains(new TopologyDecision.FailStart(failure))
			.noneMatch(TopologyDecision.AskSentinels.class::isInstance);
	}

	@Test
	void aFailedDiscoveryAtStartStartsDegradedWithoutFailFast() {
		TopologyCore lenient = new TopologyCore("mymaster", List.of(SENTINEL_A), new MonitorSettings(true,
				Duration.ofSeconds(1), 3, 2), false, new AnnouncedAddresses(AddressMap.NONE));
		lenient.start();
		List<TopologyDecision> decisions = lenient.discovered(null, noMaster(), T0);
		assertThat(decisions).noneMatch(TopologyDecision.FailStart.class::isInstance)
			.anyMatch((decision) -> decision instanceof TopologyDecision.AnswerWaiters answer && answer.master() == null)
			.anyMatch(TopologyDecision.AskSentinels.class::isInstance);
	}

	@Test
	void withoutMonitoringEachConnectionFindsTheMasterUnlessItWasVerifiedMomentsAgo() {
		TopologyCore unmonitored = new TopologyCore("mymaster", List.of(SENTINEL_A), new MonitorSettings(false,
				Duration.ofSeconds(1), 3, 2), true, new AnnouncedAddresses(AddressMap.NONE));
		assertThat(unmonitored.start()).containsExactly(new TopologyDecision.Discover());
		assertThat(unmonitored.discovered(discovered(OLD), null, T0)).contains(new TopologyDecision.Started());

		assertThat(unmonitored.masterWanted(T0.plusMillis(249)))
			.containsExactly(new TopologyDecision.AnswerWaiters(OLD, null));
		assertThat(unmonitored.masterWanted(T0.plusMillis(250))).containsExactly(new TopologyDecision.Discover());
		assertThat(unmonitored.masterWanted(T0.plusMillis(260))).as("one discovery at a time").isEmpty();
		assertThat(unmonitored.discovered(discovered(NEW), null, T0.plusMillis(270)))
			.contains(new TopologyDecision.AnswerWaiters(NEW, null))
			.noneMatch(TopologyDecision.AskSentinels.class::isInstance);
		assertThat(switches(List.of())).isEmpty();
		assertThat(unmonitored.failovers()).isOne();
	}

	@Test
	void whenTheSentinelsCannotBeReachedConnectionsGetTheLastVerifiedMaster() {
		TopologyCore unmonitored = new TopologyCore("mymaster", List.of(SENTINEL_A), new MonitorSettings(false,
				Duration.ofSeconds(1), 3, 2), true, new AnnouncedAddresses(AddressMap.NONE));
		unmonitored.start();
		unmonitored.discovered(discovered(OLD), null, T0);
		unmonitored.masterWanted(T0.plusSeconds(1));
		assertThat(unmonitored.discovered(null, noMaster(), T0.plusSeconds(2)))
			.containsExactly(new TopologyDecision.AnswerWaiters(OLD, null));
	}

	@Test
	void aMonitoredTopologyAnswersConnectionsAtOnce() {
		start();
		assertThat(this.core.masterWanted(T0.plusSeconds(60))).containsExactly(new TopologyDecision.AnswerWaiters(OLD, null));
	}

	@Test
	void aCheckAskedForWhileOneRunsIsMadeOnceAfterIt() {
		start();
		TopologyDecision.AskSentinels first = ask(this.core.reconcileRequested("READONLY"));
		assertThat(this.core.reconcileRequested("READONLY")).noneMatch(TopologyDecision.AskSentinels.class::isInstance);
		assertThat(this.core.reconcileRequested("refresh")).noneMatch(TopologyDecision.AskSentinels.class::isInstance);
		this.asked = first;
		List<TopologyDecision> after = check(allNaming(OLD), OLD, T0.plusMillis(10));
		assertThat(after).filteredOn(TopologyDecision.AskSentinels.class::isInstance).singleElement()
			.satisfies((again) -> assertThat(((TopologyDecision.AskSentinels) again).round()).isGreaterThan(first.round()));
	}

	@Test
	void aLateAnswerOfAnOldCheckIsIgnored() {
		start();
		TopologyDecision.AskSentinels first = ask(this.core.reconcileRequested("test"));
		this.asked = first;
		check(allNaming(OLD), OLD, T0.plusMillis(10));
		assertThat(this.core.sentinelsAnswered(first.round(), allNaming(NEW), T0.plusMillis(20))).isEmpty();
		assertThat(this.core.roleAnswered(first.round(), answer(master(NEW)), T0.plusMillis(20))).isEmpty();
		assertThat(this.core.master().address()).isEqualTo(OLD);
	}

	@Test
	void roleChangesInEitherDirectionAskForACheck() {
		start();
		assertThat(this.core.event(event("-role-change", "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379 "
				+ "new reported role is slave", SENTINEL_A, T0))).anyMatch(TopologyDecision.AskSentinels.class::isInstance);
	}

	@Test
	void eventsDuringAnAnnouncedMastersRoleCheckAreTakenAfterTheSwitchInOrder() {
		start();
		SentinelEvent announcement = event("+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380", SENTINEL_A,
				T0.plusMillis(4000));
		TopologyDecision.CheckRoleThenSwitch check = (TopologyDecision.CheckRoleThenSwitch) this.core.event(announcement)
			.get(0);
		SentinelEvent later = event("+slave", "slave 127.0.0.1:6379 127.0.0.1 6379 @ mymaster 127.0.0.1 6380",
				SENTINEL_B, T0.plusMillis(4001));
		assertThat(this.core.event(later)).as("held while the role is checked").isEmpty();

		List<TopologyDecision> answered = this.core.announcedRoleChecked(check, answer(master(NEW)), T0.plusMillis(4002));

		assertThat(published(answered)).startsWith(switches(answered).get(0), announcement, later);
		assertThat(this.core.snapshot().recentEvents()).containsExactly(announcement, later);
	}

	@Test
	void thePromotionWatchPollsUntilTheReplicaAnswersAsMaster() {
		start();
		TopologyDecision.WatchPromotion watch = select(NEW, T0.plusMillis(3000));
		assertThat(this.core.promotionPolled(watch, answer(replica(NEW)), T0.plusMillis(3010)))
			.containsExactly(new TopologyDecision.PollPromotion(watch, PromotionWatch.POLL_INTERVAL, PromotionWatch.POLL_TIMEOUT));
		assertThat(this.core.promotionPolled(watch, unreachable(), T0.plusMillis(3020)))
			.containsExactly(new TopologyDecision.PollPromotion(watch, PromotionWatch.POLL_INTERVAL, PromotionWatch.POLL_TIMEOUT));
		List<TopologyDecision> seen = this.core.promotionPolled(watch, answer(master(NEW)), T0.plusMillis(3030));
		assertThat(seen.get(0)).isEqualTo(new TopologyDecision.StopWatchingPromotion());
		assertThat(switches(seen)).singleElement().satisfies((switched) -> assertThat(switched.to()).isEqualTo(NEW));
		assertThat(this.core.promotionPolled(watch, answer(master(NEW)), T0.plusMillis(3040))).as("watch over").isEmpty();
	}

	@Test
	void aSelectedReplicaHoldsNewConnectionsUntilItAnswersAsMasterThenTheyGoToIt() {
		start();
		List<TopologyDecision> selected = this.core.event(event("+selected-slave", "slave " + NEW + " " + NEW.host()
				+ " " + NEW.port() + " @ mymaster 127.0.0.1 6379", SENTINEL_B, T0.plusMillis(3000)));
		assertThat(published(selected)).anySatisfy((event) -> assertThat(event).isInstanceOfSatisfying(
				PromotionAnnouncedEvent.class, (announced) -> {
					assertThat(announced.from()).isEqualTo(OLD);
					assertThat(announced.candidate()).isEqualTo(NEW);
					assertThat(announced.holdUntil()).isEqualTo(T0.plusMillis(3000).plus(MonitorSettings.DEFAULT_PROMOTION_HOLD));
				}));
		TopologyDecision.WatchPromotion watch = selected.stream()
			.filter(TopologyDecision.WatchPromotion.class::isInstance)
			.map(TopologyDecision.WatchPromotion.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(this.core.route().heldAt(T0.plusMillis(3005))).isTrue();
		assertThat(this.core.masterWanted(T0.plusMillis(3005))).as("the caller waits").isEmpty();
		List<TopologyDecision> promoted = this.core.promotionPolled(watch, answer(master(NEW)), T0.plusMillis(3030));
		assertThat(switches(promoted)).singleElement().satisfies((switched) -> assertThat(switched.to()).isEqualTo(NEW));
		assertThat(promoted).contains(new TopologyDecision.AnswerWaiters(NEW, null));
		assertThat(promoted.indexOf(new TopologyDecision.AnswerWaiters(NEW, null)))
			.as("the waiting connections are answered after the switch is published")
			.isGreaterThan(promoted.indexOf(promoted.stream().filter(TopologyDecision.Publish.class::isInstance)
				.filter((decision) -> ((TopologyDecision.Publish) decision).event() instanceof MasterSwitchedEvent)
				.findFirst().orElseThrow()));
		assertThat(this.core.route().heldAt(T0.plusMillis(3031))).isFalse();
		assertThat(this.core.route().usableAt(T0.plusMillis(3031))).isEqualTo(NEW);
	}

	@Test
	void aPromotionSlowerThanTheHoldReleasesTheConnectionsToTheMasterInUse() {
		start();
		TopologyDecision.WatchPromotion watch = select(NEW, T0.plusMillis(3000));
		Instant afterHold = T0.plusMillis(3000).plus(MonitorSettings.DEFAULT_PROMOTION_HOLD);
		assertThat(this.core.promotionPolled(watch, answer(replica(NEW)), afterHold.minusMillis(1)))
			.noneMatch(TopologyDecision.AnswerWaiters.class::isInstance);
		assertThat(this.core.promotionPolled(watch, answer(replica(NEW)), afterHold))
			.contains(new TopologyDecision.AnswerWaiters(OLD, null))
			.anyMatch(TopologyDecision.PollPromotion.class::isInstance);
		assertThat(this.core.route().heldAt(afterHold)).isFalse();
		assertThat(this.core.route().usableAt(afterHold)).isEqualTo(OLD);
	}

	@Test
	void anAbortedFailoverReleasesTheConnectionsToTheMasterInUse() {
		start();
		select(NEW, T0.plusMillis(3000));
		List<TopologyDecision> aborted = this.core.event(event("-failover-abort-slave-timeout",
				"master mymaster 127.0.0.1 6379", SENTINEL_B, T0.plusMillis(3200)));
		assertThat(aborted).contains(new TopologyDecision.AnswerWaiters(OLD, null));
		assertThat(this.core.route().heldAt(T0.plusMillis(3200))).isFalse();
	}

	@Test
	void noHoldWhenItIsSwitchedOff() {
		TopologyCore unheld = new TopologyCore("mymaster", List.of(SENTINEL_A, SENTINEL_B, SENTINEL_C),
				new MonitorSettings(true, Duration.ofSeconds(1), 3, 2, Duration.ZERO), true,
				new AnnouncedAddresses(AddressMap.NONE));
		unheld.start();
		unheld.discovered(discovered(OLD), null, T0);
		List<TopologyDecision> selected = unheld.event(event("+selected-slave", "slave " + NEW + " " + NEW.host()
				+ " " + NEW.port() + " @ mymaster 127.0.0.1 6379", SENTINEL_B, T0.plusMillis(3000)));
		assertThat(published(selected)).noneMatch(PromotionAnnouncedEvent.class::isInstance);
		assertThat(unheld.route().heldAt(T0.plusMillis(3001))).isFalse();
	}

	@Test
	void thePromotionWatchGivesUpAfterItsLimit() {
		start();
		TopologyDecision.WatchPromotion watch = select(NEW, T0.plusMillis(3000));
		assertThat(this.core.promotionPolled(watch, answer(replica(NEW)), T0.plusMillis(3000).plus(PromotionWatch.LIMIT)))
			.filteredOn(TopologyDecision.PollPromotion.class::isInstance)
			.hasSize(1);
		assertThat(this.core.promotionPolled(watch, answer(replica(NEW)),
				T0.plusMillis(3001).plus(PromotionWatch.LIMIT))).containsExactly(new TopologyDecision.StopWatchingPromotion());
	}

	@Test
	void thePromotionWatchEndsWhenTheApplicationIsAlreadyOnTheCandidate() {
		start();
		TopologyDecision.WatchPromotion watch = select(NEW, T0.plusMillis(3000));
		SentinelEvent announcement = event("+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380", SENTINEL_A,
				T0.plusMillis(3100));
		TopologyDecision.CheckRoleThenSwitch check = (TopologyDecision.CheckRoleThenSwitch) this.core.event(announcement)
			.get(0);
		assertThat(this.core.announcedRoleChecked(check, answer(master(NEW)), T0.plusMillis(3101)))
			.contains(new TopologyDecision.StopWatchingPromotion());
		assertThat(this.core.promotionPolled(watch, answer(replica(NEW)), T0.plusMillis(3110))).isEmpty();
	}

	@Test
	void aFailoverEndWithoutPromotionStopsTheWatch() {
		start();
		select(NEW, T0.plusMillis(3000));
		assertThat(this.core.event(event("-failover-abort-slave-timeout", "master mymaster 127.0.0.1 6379", SENTINEL_B,
				T0.plusMillis(9000)))).contains(new TopologyDecision.StopWatchingPromotion());
		assertThat(this.core.master().address()).isEqualTo(OLD);
	}

	@Test
	void aStaleReturnAsksTheMasterInUseFirstAndStaysWhenItAnswersAsMaster() {
		start();
		check(allNaming(OLD), OLD, T0.plusMillis(1000));
		switchTo(NEW, T0.plusMillis(3000));
		TopologyDecision.AskSentinels ask = ask(this.core.reconcileRequested("test"));
		List<TopologyDecision> planned = this.core.sentinelsAnswered(ask.round(), allNaming(OLD), T0.plusMillis(3500));
		assertThat(planned).containsExactly(new TopologyDecision.CheckRole(ask.round(), NEW));
		List<TopologyDecision> decisions = this.core.roleAnswered(ask.round(), answer(master(NEW)), T0.plusMillis(3501));
		assertThat(switches(decisions)).isEmpty();
		assertThat(this.core.master().address()).isEqualTo(NEW);
	}

	@Test
	void aStaleReturnWhoseMasterInUseIsNoMasterAsksTheNamedOne() {
		start();
		check(allNaming(OLD), OLD, T0.plusMillis(1000));
		switchTo(NEW, T0.plusMillis(3000));
		TopologyDecision.AskSentinels ask = ask(this.core.reconcileRequested("test"));
		this.core.sentinelsAnswered(ask.round(), allNaming(OLD), T0.plusMillis(3500));
		assertThat(this.core.roleAnswered(ask.round(), answer(replica(NEW)), T0.plusMillis(3501)))
			.containsExactly(new TopologyDecision.CheckRole(ask.round(), OLD));
		assertThat(switches(this.core.roleAnswered(ask.round(), answer(master(OLD)), T0.plusMillis(3502))))
			.singleElement().satisfies((switched) -> assertThat(switched.to()).isEqualTo(OLD));
	}

	@Test
	void aMonitoredStartWhoseFirstCheckVerifiesNothingStillAnswersConnectionsAtOnce() {
		this.core.start();
		record(this.core.discovered(discovered(OLD), null, T0));
		List<SentinelView> down = List.of(SentinelView.unreachable(SENTINEL_A, "Connection refused"),
				SentinelView.unreachable(SENTINEL_B, "Connection refused"),
				SentinelView.unreachable(SENTINEL_C, "Connection refused"));
		assertThat(checkAnswering(down, (node) -> unreachable(), T0.plusMillis(5))).contains(new TopologyDecision.Started());
		assertThat(this.core.route().usableAt(T0.plusSeconds(3600))).isEqualTo(OLD);
	}

	@Test
	void aCheckWhereNoSentinelNamesAMasterEndsWithoutARoleCheck() {
		TopologyCore lenient = new TopologyCore("mymaster", List.of(SENTINEL_A), new MonitorSettings(true,
				Duration.ofSeconds(1), 3, 2), false, new AnnouncedAddresses(AddressMap.NONE));
		lenient.start();
		TopologyDecision.AskSentinels ask = ask(lenient.discovered(null, noMaster(), T0));
		SentinelView unknown = new SentinelView(SENTINEL_A, null, null, Map.of(), List.of(), List.of(), null, false);
		assertThat(lenient.sentinelsAnswered(ask.round(), List.of(unknown), T0.plusMillis(5)))
			.contains(new TopologyDecision.Started())
			.noneMatch(TopologyDecision.CheckRole.class::isInstance);
		assertThat(lenient.reconcileRequested("again")).anyMatch(TopologyDecision.AskSentinels.class::isInstance);
	}

	@Test
	void aCheckThatCouldNotBeMadeCountsAsAnErrorAndTheNextOneRuns() {
		start();
		TopologyDecision.AskSentinels ask = ask(this.core.reconcileRequested("test"));
		assertThat(this.core.reconcileRequested("again")).noneMatch(TopologyDecision.AskSentinels.class::isInstance);
		assertThat(this.core.checkFailed(ask.round() + 1)).as("not the check under way").isEmpty();
		assertThat(this.core.checkFailed(ask.round())).anyMatch(TopologyDecision.AskSentinels.class::isInstance);
		assertThat(this.core.reconciliationErrors()).isOne();
	}

	@Test
	void aStaleReturnThatStaysEndsTheCheck() {
		start();
		check(allNaming(OLD), OLD, T0.plusMillis(1000));
		switchTo(NEW, T0.plusMillis(3000));
		TopologyDecision.AskSentinels ask = ask(this.core.reconcileRequested("test"));
		this.core.sentinelsAnswered(ask.round(), allNaming(OLD), T0.plusMillis(3500));
		this.core.roleAnswered(ask.round(), answer(master(NEW)), T0.plusMillis(3501));
		assertThat(this.core.reconcileRequested("next")).anyMatch(TopologyDecision.AskSentinels.class::isInstance);
	}

	@Test
	void anAnswerToARoleCheckNeverAskedForIsIgnored() {
		start();
		SentinelEvent announcement = event("+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380", SENTINEL_A,
				T0.plusMillis(4000));
		assertThat(this.core.announcedRoleChecked(new TopologyDecision.CheckRoleThenSwitch(NEW, announcement),
				answer(master(NEW)), T0.plusMillis(4001))).isEmpty();
		assertThat(this.core.master().address()).isEqualTo(OLD);
	}

	@Test
	void aLearnedSentinelsSwitchToAReplicaTheConfiguredOnesListIsCheckedAtOnce() {
		start();
		check(List.of(withReplica(view(SENTINEL_A, OLD, 1), NEW), withReplica(view(SENTINEL_B, OLD, 1), NEW),
				withReplica(view(SENTINEL_C, OLD, 1), NEW)), OLD, T0.plusMillis(500));
		SentinelEvent announcement = event("+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380", LEARNED,
				T0.plusMillis(4000));
		assertThat(this.core.event(announcement)).startsWith(new TopologyDecision.CheckRoleThenSwitch(NEW, announcement));
	}

	@Test
	void aReplicaTheVerifiedMasterReportsIsKnownToo() {
		start();
		RoleCheck withReplica = new RoleCheck(OLD, "master", 100, List.of(new RoleCheck.ReplicaOffset(NEW, 90)));
		checkAnswering(allNaming(OLD), (node) -> answer(withReplica), T0.plusMillis(500));
		List<TopologyDecision> selected = this.core.event(event("+selected-slave",
				"slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379", LEARNED, T0.plusMillis(3000)));
		assertThat(selected).contains(new TopologyDecision.WatchPromotion(NEW, LEARNED));
	}

	@Test
	void aLearnedSentinelsSwitchToAnUnknownNodeSaysWhyItAsksTheSentinels() {
		start();
		List<TopologyDecision> decisions = this.core.event(event("+switch-master",
				"mymaster 127.0.0.1 6379 127.0.0.9 6379", LEARNED, T0.plusMillis(4000)));
		assertThat(decisions).noneMatch(TopologyDecision.CheckRoleThenSwitch.class::isInstance)
			.contains(new TopologyDecision.Reconcile("+switch-master names an unknown node"));
	}

	@Test
	void aLearnedSentinelsOtherEventsOnlyAskForACheck() {
		start();
		List<TopologyDecision> decisions = this.core.event(event("+odown", "master mymaster 127.0.0.1 6379 #quorum 2/2",
				LEARNED, T0.plusMillis(4000)));
		assertThat(decisions).anyMatch(TopologyDecision.AskSentinels.class::isInstance);
		assertThat(published(decisions)).isEmpty();
		assertThat(this.core.snapshot().failoverInProgress()).isFalse();
	}

	@Test
	void aSentinelAnnouncedByAConfiguredOneIsFollowedAsLearned() {
		start();
		assertThat(this.core.event(event("+sentinel", "sentinel learned-id 127.0.0.1 26382 @ mymaster 127.0.0.1 6379",
				SENTINEL_A, T0.plusMillis(100)))).contains(new TopologyDecision.Follow(LEARNED, true, "learned-id"));
	}

	@Test
	void recentEventsSurviveAfterAChecks() {
		start();
		SentinelEvent sdown = event("+sdown", "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379",
				SENTINEL_A, T0.plusMillis(100));
		this.core.event(sdown);
		check(allNaming(OLD), OLD, T0.plusMillis(1000));
		assertThat(this.core.snapshot().recentEvents()).containsExactly(sdown);
	}

	@Test
	void aSecondSelectionStopsWatchingTheFirstReplica() {
		start();
		TopologyDecision.WatchPromotion first = select(NEW, T0.plusMillis(3000));
		NodeAddress other = new NodeAddress("127.0.0.1", 6381);
		List<TopologyDecision> second = this.core.event(event("+selected-slave",
				"slave 127.0.0.1:6381 127.0.0.1 6381 @ mymaster 127.0.0.1 6379", SENTINEL_C, T0.plusMillis(3100)));
		assertThat(second).containsSubsequence(new TopologyDecision.StopWatchingPromotion(),
				new TopologyDecision.WatchPromotion(other, SENTINEL_C));
		assertThat(this.core.promotionPolled(first, answer(master(NEW)), T0.plusMillis(3110))).isEmpty();
	}

	@Test
	void aReplicasTroubleDoesNotStartTheFailoverClock() {
		start();
		this.core.event(event("+sdown", "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379", SENTINEL_A,
				T0.plusMillis(1000)));
		this.core.event(event("+sdown", "master mymaster 127.0.0.1 6379", SENTINEL_A, T0.plusMillis(2000)));
		this.core.event(event("+sdown", "master mymaster 127.0.0.1 6379", SENTINEL_B, T0.plusMillis(2500)));
		switchTo(NEW, T0.plusMillis(3050));
		assertThat(this.core.snapshot().lastFailover().duration()).isEqualTo(Duration.ofMillis(1050));
	}

	@Test
	void aSentinelThatDoesNotKnowTheMasterIsNotFollowedForIt() {
		start();
		SentinelView unknown = new SentinelView(SENTINEL_A, null, null, Map.of("config-epoch", "9"), List.of(),
				List.of(), null, false);
		SentinelCheck.Plan plan = this.core.checkRequest()
			.plan(List.of(unknown, view(SENTINEL_B, OLD, 1), view(SENTINEL_C, OLD, 1)));
		assertThat(plan.candidate()).isEqualTo(OLD);
		assertThat(plan.best().sentinel()).isNotEqualTo(SENTINEL_A);
	}

	@Test
	void aPromotionSeenDuringAFailoverSwitchesAndTimesItFromTheFirstSdown() {
		start();
		this.core.event(event("+sdown", "master mymaster 127.0.0.1 6379", SENTINEL_A, T0.plusMillis(2000)));
		this.core.event(event("+odown", "master mymaster 127.0.0.1 6379 #quorum 2/2", SENTINEL_A, T0.plusMillis(2100)));
		assertThat(this.core.snapshot().failoverInProgress()).isTrue();
		List<TopologyDecision> selected = this.core.event(event("+selected-slave",
				"slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379", SENTINEL_B, T0.plusMillis(3000)));
		TopologyDecision.WatchPromotion watch = new TopologyDecision.WatchPromotion(NEW, SENTINEL_B);
		assertThat(selected).contains(watch);

		List<TopologyDecision> seen = this.core.promotionPolled(watch, answer(master(NEW)), T0.plusMillis(3050));

		assertThat(seen.get(0)).isEqualTo(new TopologyDecision.StopWatchingPromotion());
		assertThat(switches(seen)).singleElement().satisfies((switched) -> {
			assertThat(switched.from()).isEqualTo(OLD);
			assertThat(switched.to()).isEqualTo(NEW);
			assertThat(switched.at()).isEqualTo(T0.plusMillis(3050));
		});
		TopologySnapshot snapshot = this.core.snapshot();
		assertThat(snapshot.master()).isEqualTo(NEW);
		assertThat(snapshot.failoverInProgress()).isFalse();
		assertThat(snapshot.lastFailover().duration()).isEqualTo(Duration.ofMillis(1050));
		assertThat(this.core.failovers()).isOne();
	}

	@Test
	void aSwitchMasterIsVerifiedFirstAndTheEventIsPublishedAfterTheSwitch() {
		start();
		SentinelEvent announcement = event("+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380", SENTINEL_A,
				T0.plusMillis(4000));
		List<TopologyDecision> decisions = this.core.event(announcement);
		assertThat(decisions).containsExactly(new TopologyDecision.CheckRoleThenSwitch(NEW, announcement));
		assertThat(this.core.snapshot().recentEvents()).isEmpty();

		List<TopologyDecision> answered = this.core.announcedRoleChecked(
				new TopologyDecision.CheckRoleThenSwitch(NEW, announcement), answer(master(NEW)), T0.plusMillis(4002));

		assertThat(published(answered).get(0)).isInstanceOf(MasterSwitchedEvent.class);
		assertThat(published(answered).get(1)).isEqualTo(announcement);
		assertThat(this.core.snapshot().recentEvents()).containsExactly(announcement);
	}

	@Test
	void anAnnouncedMasterThatIsAReplicaIsNotUsedAndTheSentinelsAreAskedAgain() {
		start();
		SentinelEvent announcement = event("+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380", SENTINEL_A,
				T0.plusMillis(4000));
		TopologyDecision.CheckRoleThenSwitch check = (TopologyDecision.CheckRoleThenSwitch) this.core.event(announcement)
			.get(0);

		List<TopologyDecision> answered = this.core.announcedRoleChecked(check, answer(replica(NEW)), T0.plusMillis(4002));

		assertThat(switches(answered)).isEmpty();
		assertThat(answered).anyMatch(TopologyDecision.Reconcile.class::isInstance);
		assertThat(this.core.master().address()).isEqualTo(OLD);
	}

	@Test
	void aLearnedSentinelsSwitchToAnUnknownNodeIsNeverCheckedButAsksTheSentinels() {
		start();
		List<TopologyDecision> decisions = this.core.event(event("+switch-master",
				"mymaster 127.0.0.1 6379 127.0.0.9 6379", LEARNED, T0.plusMillis(4000)));
		assertThat(decisions).noneMatch(TopologyDecision.CheckRoleThenSwitch.class::isInstance)
			.anyMatch(TopologyDecision.Reconcile.class::isInstance);
		assertThat(published(decisions)).isEmpty();
		assertThat(this.core.snapshot().recentEvents()).isEmpty();
	}

	@Test
	void aNewerEpochNamingTheOldMasterIsNotAStaleReturn() {
		start();
		check(List.of(view(SENTINEL_A, OLD, 1), view(SENTINEL_B, OLD, 1), view(SENTINEL_C, OLD, 1)), OLD, T0.plusMillis(1000));
		switchTo(NEW, T0.plusMillis(3000));
		SentinelCheck.Plan plan = this.core.checkRequest()
			.plan(List.of(view(SENTINEL_A, OLD, 5), view(SENTINEL_B, OLD, 5), view(SENTINEL_C, OLD, 5)));
		assertThat(plan.staleReturn()).isFalse();
		assertThat(plan.candidate()).isEqualTo(OLD);
	}

	@Test
	void aCheckThatStartedBeforeASwitchIsDroppedAndMadeAgain() {
		start();
		this.asked = ask(this.core.reconcileRequested("test"));
		switchTo(NEW, T0.plusMillis(3000));

		List<TopologyDecision> decisions = check(List.of(view(SENTINEL_A, OLD, 1)), OLD, T0.plusMillis(3100));

		assertThat(switches(decisions)).isEmpty();
		assertThat(decisions).anyMatch(TopologyDecision.Reconcile.class::isInstance);
		assertThat(this.core.master().address()).isEqualTo(NEW);
	}

	@Test
	void aCheckNamingAnotherVerifiedMasterSwitches() {
		start();
		List<SentinelView> views = List.of(view(SENTINEL_A, NEW, 2), view(SENTINEL_B, NEW, 2), view(SENTINEL_C, OLD, 1));
		assertThat(this.core.checkRequest().plan(views).candidate()).isEqualTo(NEW);

		List<TopologyDecision> decisions = check(views, NEW, T0.plusMillis(5000));

		assertThat(switches(decisions)).singleElement()
			.satisfies((switched) -> assertThat(switched.cause()).contains("reconciliation"));
	}

	@Test
	void aSentinelTheConfiguredOnesListIsFollowedAndForgottenWhenNoLongerListed() {
		start();
		Map<String, String> listed = Map.of("ip", "127.0.0.1", "port", "26382", "runid", "learned-id");
		List<SentinelView> listing = List.of(withSentinels(view(SENTINEL_A, OLD, 1), List.of(listed)),
				view(SENTINEL_B, OLD, 1), view(SENTINEL_C, OLD, 1));
		List<TopologyDecision> first = check(listing, OLD, T0.plusMillis(1000));
		assertThat(first).contains(new TopologyDecision.Follow(LEARNED, true, "learned-id"));
		assertThat(this.core.checkRequest().sentinels()).contains(LEARNED);

		List<SentinelView> notListed = List.of(view(SENTINEL_A, OLD, 1), view(SENTINEL_B, OLD, 1),
				view(SENTINEL_C, OLD, 1), view(LEARNED, OLD, 1));
		List<TopologyDecision> second = check(notListed, OLD, T0.plusMillis(2000));
		assertThat(second).contains(new TopologyDecision.Forget(LEARNED));
		assertThat(this.core.checkRequest().sentinels()).doesNotContain(LEARNED);
	}

	@Test
	void aSentinelThatStopsAnsweringIsLostOnceAndRegainedOnce() {
		start();
		List<SentinelView> oneDown = List.of(view(SENTINEL_A, OLD, 1), view(SENTINEL_B, OLD, 1),
				SentinelView.unreachable(SENTINEL_C, "Connection refused"));
		assertThat(published(check(oneDown, OLD, T0.plusMillis(1000)))).filteredOn(SentinelLostEvent.class::isInstance)
			.hasSize(1);
		assertThat(published(check(oneDown, OLD, T0.plusMillis(2000)))).noneMatch(SentinelLostEvent.class::isInstance);
		List<SentinelView> allUp = List.of(view(SENTINEL_A, OLD, 1), view(SENTINEL_B, OLD, 1), view(SENTINEL_C, OLD, 1));
		assertThat(published(check(allUp, OLD, T0.plusMillis(3000)))).filteredOn(SentinelRegainedEvent.class::isInstance)
			.hasSize(1);
	}

	@Test
	void healthChangesArePublishedOnceEach() {
		start();
		List<SentinelView> healthy = List.of(withReplica(view(SENTINEL_A, OLD, 1), NEW), withReplica(view(SENTINEL_B, OLD, 1), NEW),
				withReplica(view(SENTINEL_C, OLD, 1), NEW));
		check(healthy, OLD, T0.plusMillis(500));
		List<TopologyDecision> down = checkAnswering(List.of(view(SENTINEL_A, OLD, 1)), (node) -> unreachable(),
				T0.plusMillis(1000));
		assertThat(published(down)).filteredOn(TopologyDegradedEvent.class::isInstance).singleElement()
			.satisfies((event) -> assertThat(((TopologyDegradedEvent) event).health()).isEqualTo(TopologyHealth.DOWN));
		assertThat(this.core.snapshot().masterProblem()).contains("cannot be reached").doesNotContain("address-map");
		assertThat(this.core.reconciliationErrors()).isOne();

		List<TopologyDecision> recovered = check(healthy, OLD, T0.plusMillis(2000));
		assertThat(published(recovered)).filteredOn(TopologyRecoveredEvent.class::isInstance).hasSize(1);
	}

	@Test
	void eventsOfAnotherMasterAreIgnored() {
		start();
		assertThat(this.core.event(event("+sdown", "master other 127.0.0.1 7000", SENTINEL_A, T0))).isEmpty();
	}

	@Test
	void theEventHistoryIsBounded() {
		start();
		for (int i = 0; i < 5; i++) {
			this.core.event(event("+sdown", "slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379", SENTINEL_A,
					T0.plusMillis(i)));
		}
		assertThat(this.core.snapshot().recentEvents()).hasSize(3);
	}

	private void start() {
		this.core.start();
		record(this.core.discovered(discovered(OLD), null, T0));
		assertThat(check(allNaming(OLD), OLD, T0)).contains(new TopologyDecision.Started());
	}

	private TopologyDecision.WatchPromotion select(NodeAddress replica, Instant at) {
		List<TopologyDecision> selected = this.core.event(event("+selected-slave", "slave " + replica + " "
				+ replica.host() + " " + replica.port() + " @ mymaster 127.0.0.1 6379", SENTINEL_B, at));
		return selected.stream()
			.filter(TopologyDecision.WatchPromotion.class::isInstance)
			.map(TopologyDecision.WatchPromotion.class::cast)
			.findFirst()
			.orElseThrow();
	}

	private void switchTo(NodeAddress master, Instant at) {
		TopologyDecision.WatchPromotion watch = select(master, at);
		assertThat(switches(this.core.promotionPolled(watch, answer(master(master)), at))).hasSize(1);
	}

	private List<TopologyDecision> check(List<SentinelView> views, NodeAddress verifiedMaster, Instant at) {
		return checkAnswering(views,
				(node) -> node.equals(verifiedMaster) ? answer(master(node)) : answer(replica(node)), at);
	}

	/** One whole check: the sentinels answer, then each role the core asks for. */
	private List<TopologyDecision> checkAnswering(List<SentinelView> views,
			Function<NodeAddress, SentinelCheck.RoleAnswer> roles, Instant at) {
		TopologyDecision.AskSentinels ask = (this.asked != null) ? this.asked : ask(this.core.reconcileRequested("test"));
		this.asked = null;
		List<TopologyDecision> all = new ArrayList<>();
		List<TopologyDecision> step = this.core.sentinelsAnswered(ask.round(), views, at);
		for (int i = 0; i < 3; i++) {
			all.addAll(step);
			TopologyDecision.CheckRole role = step.stream()
				.filter(TopologyDecision.CheckRole.class::isInstance)
				.map(TopologyDecision.CheckRole.class::cast)
				.findFirst()
				.orElse(null);
			if (role == null) {
				break;
			}
			step = this.core.roleAnswered(ask.round(), roles.apply(role.node()), at);
		}
		return record(all);
	}

	private List<TopologyDecision> record(List<TopologyDecision> decisions) {
		decisions.stream()
			.filter(TopologyDecision.AskSentinels.class::isInstance)
			.map(TopologyDecision.AskSentinels.class::cast)
			.reduce((first, second) -> second)
			.ifPresent((ask) -> this.asked = ask);
		return decisions;
	}

	private static TopologyDecision.AskSentinels ask(List<TopologyDecision> decisions) {
		return decisions.stream()
			.filter(TopologyDecision.AskSentinels.class::isInstance)
			.map(TopologyDecision.AskSentinels.class::cast)
			.findFirst()
			.orElseThrow();
	}

	private static List<SentinelView> allNaming(NodeAddress master) {
		return List.of(view(SENTINEL_A, master, 1), view(SENTINEL_B, master, 1), view(SENTINEL_C, master, 1));
	}

	private static MasterDiscoveryException noMaster() {
		return new MasterDiscoveryException("mymaster", List.of(new DiscoveryAttempt(SENTINEL_A, null,
				DiscoveryAttempt.Problem.SENTINEL_REFUSED, "connection refused")), List.of());
	}

	private static SentinelCheck.RoleAnswer unreachable() {
		return new SentinelCheck.RoleAnswer(null, "Connection refused", true);
	}

	private static DiscoveredMaster discovered(NodeAddress address) {
		return new DiscoveredMaster(address, SENTINEL_A, List.of());
	}

	private static SentinelEvent event(String type, String message, NodeAddress sentinel, Instant at) {
		return SentinelEvent.parse(type, message, sentinel, at);
	}

	private static RoleCheck master(NodeAddress node) {
		return new RoleCheck(node, "master", 100, List.of());
	}

	private static RoleCheck replica(NodeAddress node) {
		return new RoleCheck(node, "slave", 100, List.of());
	}

	private static SentinelCheck.RoleAnswer answer(RoleCheck role) {
		return new SentinelCheck.RoleAnswer(role, null, false);
	}

	private static SentinelView view(NodeAddress sentinel, NodeAddress master, long epoch) {
		Map<String, String> state = new LinkedHashMap<>();
		state.put("config-epoch", Long.toString(epoch));
		state.put("quorum", "2");
		state.put("flags", "master");
		return new SentinelView(sentinel, null, master, state, List.of(), List.of(), "OK 3 usable Sentinels", true,
				null);
	}

	private static SentinelView withSentinels(SentinelView view, List<Map<String, String>> sentinels) {
		return new SentinelView(view.sentinel(), view.problem(), view.master(), view.masterState(), view.replicas(),
				sentinels, view.quorumCheck(), view.quorumOk(), view.id());
	}

	private static SentinelView withReplica(SentinelView view, NodeAddress replica) {
		Map<String, String> entry = Map.of("ip", replica.host(), "port", Integer.toString(replica.port()), "flags",
				"slave", "master-link-status", "ok");
		return new SentinelView(view.sentinel(), view.problem(), view.master(), view.masterState(), List.of(entry),
				List.of(Map.of("ip", "127.0.0.1", "port", "26380"), Map.of("ip", "127.0.0.1", "port", "26381")),
				view.quorumCheck(), view.quorumOk(), view.id());
	}

	private static List<MasterSwitchedEvent> switches(List<TopologyDecision> decisions) {
		List<MasterSwitchedEvent> switches = new ArrayList<>();
		for (TopologyEvent event : published(decisions)) {
			if (event instanceof MasterSwitchedEvent switched) {
				switches.add(switched);
			}
		}
		return switches;
	}

	private static List<TopologyEvent> published(List<TopologyDecision> decisions) {
		return decisions.stream()
			.filter(TopologyDecision.Publish.class::isInstance)
			.map((decision) -> ((TopologyDecision.Publish) decision).event())
			.toList();
	}

}
