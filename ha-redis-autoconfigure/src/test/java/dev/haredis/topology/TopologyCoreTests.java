package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.haredis.topology.SentinelTopology.MonitorSettings;

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
			new MonitorSettings(true, Duration.ofSeconds(1), 3, 2), new AnnouncedAddresses(AddressMap.NONE));

	@Test
	void followsTheConfiguredSentinelsOnceEach() {
		assertThat(this.core.followConfigured(List.of(SENTINEL_A, SENTINEL_B, SENTINEL_C)))
			.containsExactly(new TopologyDecision.Follow(SENTINEL_A, false, null),
					new TopologyDecision.Follow(SENTINEL_B, false, null),
					new TopologyDecision.Follow(SENTINEL_C, false, null));
		assertThat(this.core.followConfigured(List.of(SENTINEL_A))).isEmpty();
	}

	@Test
	void aFirstVerifiedMasterIsNoSwitch() {
		assertThat(this.core.verified(discovered(OLD), "discovery", T0)).isEmpty();
		assertThat(this.core.snapshot().master()).isEqualTo(OLD);
		assertThat(this.core.snapshot().masterVerified()).isTrue();
		assertThat(this.core.snapshot().masterVerifiedAt()).isEqualTo(T0);
		assertThat(this.core.failovers()).isZero();
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

		List<TopologyDecision> seen = this.core.promotionSeen(watch, T0.plusMillis(3050));

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
				new TopologyDecision.CheckRoleThenSwitch(NEW, announcement), master(NEW), null, T0.plusMillis(4002));

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

		List<TopologyDecision> answered = this.core.announcedRoleChecked(check, replica(NEW), null, T0.plusMillis(4002));

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
	void sentinelsThatStillNameTheMasterJustLeftDoNotSendTheApplicationBack() {
		start();
		List<SentinelView> views = List.of(view(SENTINEL_A, OLD, 1), view(SENTINEL_B, OLD, 1), view(SENTINEL_C, OLD, 1));
		check(views, OLD, T0.plusMillis(1000));
		switchTo(NEW, T0.plusMillis(3000));
		SentinelCheck.Request request = this.core.checkRequest();
		SentinelCheck.Plan plan = request.plan(views);
		assertThat(plan.staleReturn()).isTrue();

		List<TopologyDecision> decisions = this.core.checked(new SentinelCheck(views, plan.best(), NEW,
				answer(master(NEW)), true, request.master(), plan.unconfirmed()), T0.plusMillis(3500));

		assertThat(switches(decisions)).isEmpty();
		assertThat(this.core.snapshot().master()).isEqualTo(NEW);
		assertThat(this.core.snapshot().masterVerified()).isTrue();
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
		SentinelCheck.Request before = this.core.checkRequest();
		switchTo(NEW, T0.plusMillis(3000));
		List<SentinelView> views = List.of(view(SENTINEL_A, OLD, 1));

		List<TopologyDecision> decisions = this.core.checked(new SentinelCheck(views, views.get(0), OLD,
				answer(master(OLD)), false, before.master(), Map.of()), T0.plusMillis(3100));

		assertThat(switches(decisions)).isEmpty();
		assertThat(decisions).anyMatch(TopologyDecision.Reconcile.class::isInstance);
		assertThat(this.core.master().address()).isEqualTo(NEW);
	}

	@Test
	void aCheckNamingAnotherVerifiedMasterSwitches() {
		start();
		SentinelCheck.Request request = this.core.checkRequest();
		List<SentinelView> views = List.of(view(SENTINEL_A, NEW, 2), view(SENTINEL_B, NEW, 2), view(SENTINEL_C, OLD, 1));
		SentinelCheck.Plan plan = request.plan(views);
		assertThat(plan.candidate()).isEqualTo(NEW);

		List<TopologyDecision> decisions = this.core.checked(new SentinelCheck(views, plan.best(), NEW,
				answer(master(NEW)), false, request.master(), plan.unconfirmed()), T0.plusMillis(5000));

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
		SentinelCheck.Request request = this.core.checkRequest();
		List<SentinelView> unreachable = List.of(view(SENTINEL_A, OLD, 1));
		List<TopologyDecision> down = this.core.checked(new SentinelCheck(unreachable, unreachable.get(0), OLD,
				new SentinelCheck.RoleAnswer(null, "Connection refused", true), false, request.master(), Map.of()),
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
		this.core.followConfigured(List.of(SENTINEL_A, SENTINEL_B, SENTINEL_C));
		this.core.verified(discovered(OLD), "discovery", T0);
	}

	private void switchTo(NodeAddress master, Instant at) {
		TopologyDecision.WatchPromotion watch = new TopologyDecision.WatchPromotion(master, SENTINEL_A);
		assertThat(switches(this.core.promotionSeen(watch, at))).hasSize(1);
	}

	private List<TopologyDecision> check(List<SentinelView> views, NodeAddress verifiedMaster, Instant at) {
		SentinelCheck.Request request = this.core.checkRequest();
		SentinelCheck.Plan plan = request.plan(views);
		return this.core.checked(new SentinelCheck(views, plan.best(), plan.candidate(), answer(master(verifiedMaster)),
				false, request.master(), plan.unconfirmed()), at);
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
