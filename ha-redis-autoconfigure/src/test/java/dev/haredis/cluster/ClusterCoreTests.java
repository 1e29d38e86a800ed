package dev.haredis.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.haredis.topology.NodeAddress;

import static dev.haredis.cluster.ClusterViewTests.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterCoreTests {

	private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

	private static final Duration REFRESH = Duration.ofSeconds(1);

	private static final Duration FAST = Duration.ofMillis(100);

	private final ClusterCore core = new ClusterCore(List.of(node(30001), node(30002)), REFRESH, FAST);

	@Test
	void pollsOneSeedAtStartAndTheNextNodeWhenTheRefreshIntervalIsDue() {
		assertThat(this.core.start()).containsExactly(new ClusterDecision.Poll(node(30001)));
		assertThat(this.core.tick(T0)).as("one poll at a time").isEmpty();
		assertThat(this.core.answered(node(30001), healthy(), T0)).as("the first view answers who waits for it")
			.containsExactly(new ClusterDecision.AnswerWaiters(healthy()));
		assertThat(this.core.nextPoll()).isEqualTo(T0.plus(REFRESH));
		assertThat(this.core.tick(T0.plusMillis(999))).isEmpty();
		assertThat(this.core.tick(T0.plus(REFRESH))).as("and a master for its replicas' lag")
			.containsExactly(new ClusterDecision.Poll(node(30002)), new ClusterDecision.AskReplication(node(30001)));
	}

	@Test
	void asksOneMasterPerRefreshTickInTurnForItsReplicasLagAndNeverASecondWhileOneIsOut() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		Instant now = T0;
		List<NodeAddress> asked = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			now = now.plus(REFRESH);
			List<ClusterDecision> decisions = this.core.tick(now);
			NodeAddress master = askedForReplication(decisions);
			asked.add(master);
			this.core.answered(polled(decisions), healthy(), now);
			now = now.plus(REFRESH);
			List<ClusterDecision> whileOut = this.core.tick(now);
			assertThat(askedForReplication(whileOut)).as("one request out at most").isNull();
			this.core.answered(polled(whileOut), healthy(), now);
			this.core.replicationAnswered(master, info(master, 100, 30004, 90));
		}
		assertThat(asked).containsExactly(node(30001), node(30002), node(30003), node(30001));
	}

	@Test
	void neverAsksForLagWhileAFailoverMayBeComing() {
		this.core.start();
		this.core.answered(node(30001), failing(), T0);
		for (int i = 1; i <= 12; i++) {
			List<ClusterDecision> decisions = this.core.tick(T0.plus(FAST.multipliedBy(i)));
			assertThat(askedForReplication(decisions)).isNull();
			this.core.answered(polled(decisions), failing(), T0.plus(FAST.multipliedBy(i)));
		}
		this.core.answered(node(30001), healthy(), T0.plusSeconds(2));
		assertThat(askedForReplication(this.core.tick(T0.plusSeconds(2).plus(REFRESH)))).isNotNull();
	}

	@Test
	void keepsEachMastersLastAnswerAndDropsItWhenTheShardsMasterChanges() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		Instant now = T0;
		for (int port = 30001; port <= 30003; port++) {
			now = now.plus(REFRESH);
			List<ClusterDecision> decisions = this.core.tick(now);
			assertThat(askedForReplication(decisions)).isEqualTo(node(port));
			this.core.replicationAnswered(node(port), info(node(port), 5000, port + 3, 4880));
			this.core.answered(polled(decisions), healthy(), now);
		}
		assertThat(this.core.replication()).containsOnlyKeys(node(30001), node(30002), node(30003));
		assertThat(this.core.replication().get(node(30003)))
			.containsExactly(new ClusterSnapshot.Replica(node(30006), null, "online", 120L, true));
		this.core.answered(node(30002), promoted(), now);
		assertThat(this.core.replication()).as("c2 is a new master: its offsets are a new story")
			.containsOnlyKeys(node(30001), node(30002));
	}

	@Test
	void aFailedAnswerOrOneFromANodeNoLongerMasterDropsWhatWasKnownAndALateOneIsIgnored() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		this.core.tick(T0.plus(REFRESH));
		this.core.replicationAnswered(node(30001), info(node(30001), 100, 30004, 100));
		assertThat(this.core.replication()).containsOnlyKeys(node(30001));
		this.core.answered(node(30002), healthy(), T0.plus(REFRESH));
		this.core.tick(T0.plus(REFRESH.multipliedBy(2)));
		this.core.replicationAnswered(node(30003), info(node(30003), 100, 30006, 100));
		assertThat(this.core.replication()).as("not the master asked").containsOnlyKeys(node(30001));
		this.core.replicationAnswered(node(30002), ReplicationInfo.parse("role:slave\r\nmaster_repl_offset:3\r\n"));
		assertThat(this.core.replication()).containsOnlyKeys(node(30001));
		this.core.answered(node(30003), healthy(), T0.plus(REFRESH.multipliedBy(2)));
		this.core.tick(T0.plus(REFRESH.multipliedBy(3)));
		this.core.replicationAnswered(node(30003), null);
		this.core.answered(node(30004), healthy(), T0.plus(REFRESH.multipliedBy(3)));
		this.core.tick(T0.plus(REFRESH.multipliedBy(4)));
		this.core.replicationAnswered(node(30001), null);
		assertThat(this.core.replication()).as("its request failed").isEmpty();
	}

	/** What a master's INFO replication says of one replica. */
	static ReplicationInfo info(NodeAddress master, long offset, int replicaPort, long replicaOffset) {
		return ReplicationInfo.parse("role:master\r\nslave0:ip=127.0.0.1,port=" + replicaPort
				+ ",state=online,offset=" + replicaOffset + ",lag=0\r\nmaster_repl_offset:" + offset + "\r\n");
	}

	private static NodeAddress askedForReplication(List<ClusterDecision> decisions) {
		List<ClusterDecision> asks = decisions.stream()
			.filter(ClusterDecision.AskReplication.class::isInstance)
			.toList();
		assertThat(asks).hasSizeLessThanOrEqualTo(1);
		return asks.isEmpty() ? null : ((ClusterDecision.AskReplication) asks.get(0)).master();
	}

	@Test
	void aPromotionPublishesTheMoveAndReloadsTheSlotMap() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		List<ClusterDecision> decisions = this.core.answered(node(30002), promoted(), T0.plusSeconds(5));
		ShardFailoverEvent move = new ShardFailoverEvent(node(30003), node(30006),
				List.of(new ClusterView.SlotRange(10923, 16383)), T0.plusSeconds(5), node(30002));
		assertThat(decisions).as("the slot map before the listeners, who may use Redis at once")
			.containsExactly(new ClusterDecision.ReloadSlots(), new ClusterDecision.Publish(move));
		assertThat(this.core.view().shardOf(16383).master()).isEqualTo(node(30006));
	}

	@Test
	void anAnswerWithAnOlderEpochNeverMovesSlotsBack() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		this.core.answered(node(30002), promoted(), T0.plusSeconds(1));
		// The old master, back from a freeze, still claims its slots with its old epoch.
		assertThat(this.core.answered(node(30003), healthy(), T0.plusSeconds(2))).isEmpty();
		assertThat(this.core.view().shardOf(16383).master()).isEqualTo(node(30006));
	}

	@Test
	void reloadsTheSlotMapOneAtATimeAndOnceMoreWhenSlotsMovedMeanwhile() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		assertThat(this.core.answered(node(30002), promoted(), T0)).contains(new ClusterDecision.ReloadSlots());
		List<ClusterDecision> second = this.core.answered(node(30001), promotedTwice(), T0);
		assertThat(second).hasOnlyElementsOfType(ClusterDecision.Publish.class).hasSize(1);
		assertThat(this.core.reloaded(T0)).containsExactly(new ClusterDecision.ReloadSlots());
		assertThat(this.core.reloaded(T0)).isEmpty();
	}

	@Test
	void anUnreachableMasterMakesTheNextPollImmediateAndTheFollowingOnesFastUntilItAnswersAgain() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		this.core.tick(T0.plus(REFRESH));
		NodeAddress other = polled(this.core.failed(node(30002), T0.plus(REFRESH)));
		assertThat(other).isNotEqualTo(node(30002));
		assertThat(this.core.unreachable()).containsExactly(node(30002));
		this.core.answered(other, healthy(), T0.plusSeconds(2));
		assertThat(this.core.nextPoll()).isEqualTo(T0.plusSeconds(2).plus(FAST));
		// The schedule asks every node in turn, the unreachable one too.
		Instant now = T0.plusSeconds(2);
		NodeAddress asked = null;
		for (int i = 0; i < 10 && !node(30002).equals(asked); i++) {
			now = now.plus(FAST);
			asked = polled(this.core.tick(now));
			if (!node(30002).equals(asked)) {
				this.core.answered(asked, healthy(), now);
			}
		}
		assertThat(asked).isEqualTo(node(30002));
		this.core.answered(node(30002), healthy(), now);
		assertThat(this.core.unreachable()).isEmpty();
		assertThat(this.core.nextPoll()).isEqualTo(now.plus(REFRESH));
	}

	@Test
	void whenNoNodeIsLeftToAskItWaitsTheFastIntervalInsteadOfSpinning() {
		ClusterCore lonely = new ClusterCore(List.of(node(30001)), REFRESH, FAST);
		lonely.start();
		assertThat(lonely.failed(node(30001), T0)).as("no node answered the first poll")
			.containsExactly(new ClusterDecision.AnswerWaiters(null));
		assertThat(lonely.nextPoll()).isEqualTo(T0.plus(FAST));
		assertThat(lonely.tick(T0.plus(FAST))).containsExactly(new ClusterDecision.Poll(node(30001)));
	}

	@Test
	void aDeadReplicaOrAnOldMasterWithoutSlotsIsNoReasonToPollFast() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		this.core.answered(node(30002), promoted(), T0);
		assertThat(this.core.nextPoll()).as("c1 failed but serves nothing any more").isEqualTo(T0.plus(REFRESH));
	}

	@Test
	void needsASeed() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ClusterCore(List.of(), REFRESH, FAST));
	}

	@Test
	void aMastersEpochNeverGoesDown() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		this.core.answered(node(30002), promoted(), T0);
		this.core.answered(node(30004), ClusterView.parse("""
				c2 127.0.0.1:30006@1 master - 0 0 5 connected 10923-16383
				"""), T0);
		assertThat(this.core.view().shardOf(16383).configEpoch()).isEqualTo(7);
	}

	/** The node a poll asks; a request for a master's lag may come with it. */
	private static NodeAddress polled(List<ClusterDecision> decisions) {
		List<ClusterDecision> polls = decisions.stream()
			.filter((decision) -> !(decision instanceof ClusterDecision.AskReplication))
			.toList();
		assertThat(polls).singleElement().isInstanceOf(ClusterDecision.Poll.class);
		return ((ClusterDecision.Poll) polls.get(0)).node();
	}

	@Test
	void aNodeFlaggedFailingMakesPollsFastAndIsNotAsked() {
		this.core.start();
		this.core.answered(node(30001), failing(), T0);
		assertThat(this.core.nextPoll()).isEqualTo(T0.plus(FAST));
		for (int i = 1; i <= 12; i++) {
			List<ClusterDecision> polls = this.core.tick(T0.plusSeconds(i));
			assertThat(polls).singleElement()
				.isInstanceOfSatisfying(ClusterDecision.Poll.class, (poll) -> assertThat(poll.node()).isNotEqualTo(node(30003)));
			this.core.answered(((ClusterDecision.Poll) polls.get(0)).node(), failing(), T0.plusSeconds(i));
		}
	}

	@Test
	void aRedirectionToAnUnknownMasterAsksForOnePollAfterTheOneInFlight() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		assertThat(this.core.redirected(16000, node(30003), T0)).as("known master").isEmpty();
		assertThat(this.core.redirected(16000, node(30006), T0)).singleElement().isInstanceOf(ClusterDecision.Poll.class);
		assertThat(this.core.redirected(16000, node(30006), T0)).as("a poll is in flight").isEmpty();
		assertThat(this.core.connectionLost(node(30003), T0)).isEmpty();
		assertThat(this.core.answered(node(30002), healthy(), T0)).singleElement()
			.isInstanceOf(ClusterDecision.Poll.class);
	}

	@Test
	void aRefreshTheClientWantsIsAnsweredByAPollThatStartsAfterItNeverByTheOneInFlight() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		this.core.tick(T0.plus(REFRESH));
		assertThat(this.core.refreshWanted(T0.plus(REFRESH))).as("a poll is in flight").isEmpty();
		List<ClusterDecision> inFlight = this.core.answered(node(30002), healthy(), T0.plus(REFRESH));
		assertThat(inFlight).as("the poll in flight began before the request: another one")
			.singleElement()
			.isInstanceOf(ClusterDecision.Poll.class);
		NodeAddress next = polled(inFlight);
		assertThat(this.core.answered(next, promoted(), T0.plus(REFRESH)))
			.contains(new ClusterDecision.AnswerWaiters(this.core.view()));
		assertThat(this.core.view().shardOf(16383).master()).isEqualTo(node(30006));
	}

	@Test
	void aWantedRefreshAsksTheNextNodeWhenOneFailsAndFailsOnlyWhenNoneIsLeft() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		NodeAddress asked = polled(this.core.refreshWanted(T0));
		for (int failures = 1; failures < 6; failures++) {
			List<ClusterDecision> next = this.core.failed(asked, T0);
			assertThat(next).as("failure %d of 6 nodes: the next is asked, nobody answered yet", failures)
				.singleElement()
				.isInstanceOf(ClusterDecision.Poll.class);
			asked = polled(next);
		}
		assertThat(this.core.failed(asked, T0)).containsExactly(new ClusterDecision.AnswerWaiters(null));
		assertThat(this.core.unreachable()).hasSize(6);
	}

	@Test
	void whileAMasterFailsItsReplicaIsAskedForItKnowsOfItsPromotionFirst() {
		this.core.start();
		this.core.answered(node(30001), failing(), T0);
		for (int i = 1; i <= 5; i++) {
			NodeAddress asked = polled(this.core.tick(T0.plus(FAST.multipliedBy(i))));
			assertThat(asked).isEqualTo(node(30006));
			this.core.answered(asked, failing(), T0.plus(FAST.multipliedBy(i)));
		}
		this.core.answered(node(30006), promoted(), T0.plusSeconds(1));
		assertThat(this.core.nextPoll()).as("the failed master serves nothing now").isEqualTo(T0.plusSeconds(1).plus(REFRESH));
	}

	@Test
	void aSlowPollIsGivenUpForAnotherNodeAndItsLateAnswerStillCounts() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		NodeAddress frozen = polled(this.core.tick(T0.plus(REFRESH)));
		NodeAddress other = polled(this.core.slow(frozen, T0.plus(REFRESH).plus(FAST)));
		assertThat(other).isNotEqualTo(frozen);
		assertThat(this.core.unreachable()).as("slow is no proof of down").isEmpty();
		assertThat(this.core.slow(frozen, T0.plusSeconds(2))).as("not the poll in flight any more").isEmpty();
		Instant now = T0.plusSeconds(2);
		NodeAddress asked = other;
		for (int i = 0; i < 12; i++) {
			this.core.answered(asked, healthy(), now);
			now = now.plus(REFRESH);
			asked = polled(this.core.tick(now));
			assertThat(asked).as("not asked again while its poll is out").isNotEqualTo(frozen);
		}
		other = asked;
		List<ClusterDecision> late = this.core.answered(frozen, promoted(), T0.plusSeconds(2));
		assertThat(late).as("the late answer moves slots, asks for no poll and leaves the one in flight")
			.containsExactly(new ClusterDecision.ReloadSlots(),
					new ClusterDecision.Publish(new ShardFailoverEvent(node(30003), node(30006),
							List.of(new ClusterView.SlotRange(10923, 16383)), T0.plusSeconds(2), frozen)));
		assertThat(this.core.isPolling()).isTrue();
		assertThat(this.core.answered(other, promoted(), T0.plusSeconds(2))).isEmpty();
		assertThat(this.core.isPolling()).isFalse();
	}

	@Test
	void aSlowFirstPollIsWaitedForBeforeTheStartFailsAndItsLateAnswerStartsTheMonitor() {
		ClusterCore lonely = new ClusterCore(List.of(node(30001)), REFRESH, FAST);
		lonely.start();
		assertThat(lonely.slow(node(30001), T0.plus(FAST))).as("nobody else to ask, yet its answer may come").isEmpty();
		assertThat(lonely.tick(T0.plus(FAST).plus(FAST))).as("never a second poll to a node with one out").isEmpty();
		assertThat(lonely.answered(node(30001), healthy(), T0.plusMillis(300)))
			.containsExactly(new ClusterDecision.AnswerWaiters(healthy()));
	}

	@Test
	void aSlowFirstPollThatFailsFailsTheStart() {
		ClusterCore lonely = new ClusterCore(List.of(node(30001)), REFRESH, FAST);
		lonely.start();
		lonely.slow(node(30001), T0.plus(FAST));
		assertThat(lonely.failed(node(30001), T0.plusSeconds(1))).containsExactly(new ClusterDecision.AnswerWaiters(null));
	}

	@Test
	void nodesTheClusterNoLongerListsAreForgottenButTheSeeds() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		// c2 (30006) stops answering, then leaves the cluster (CLUSTER FORGET, or back under another address).
		this.core.failed(node(30006), T0.plus(REFRESH));
		assertThat(this.core.unreachable()).contains(node(30006));
		ClusterView withoutReplica = new ClusterView(healthy().shards()
			.stream()
			.map((shard) -> new ClusterView.Shard(shard.master(), shard.configEpoch(), shard.slots(),
					shard.master().equals(node(30003)) ? List.of() : shard.replicas()))
			.toList(), Set.of());
		this.core.answered(node(30001), withoutReplica, T0.plusSeconds(2));
		assertThat(this.core.nodes()).doesNotContain(node(30006)).contains(node(30001), node(30002));
		assertThat(this.core.unreachable()).doesNotContain(node(30006));
	}

	@Test
	void aSlowPollThatFailsLateAsksForNoPoll() {
		this.core.start();
		this.core.answered(node(30001), healthy(), T0);
		NodeAddress frozen = polled(this.core.tick(T0.plus(REFRESH)));
		polled(this.core.slow(frozen, T0.plus(REFRESH).plus(FAST)));
		assertThat(this.core.failed(frozen, T0.plusSeconds(2))).isEmpty();
		assertThat(this.core.isPolling()).isTrue();
		assertThat(this.core.unreachable()).as("a failed poll is").containsExactly(frozen);
	}

	static ClusterView healthy() {
		return ClusterView.parse("""
				a1 127.0.0.1:30001@1 master - 0 0 1 connected 0-5460
				b1 127.0.0.1:30002@1 master - 0 0 2 connected 5461-10922
				c1 127.0.0.1:30003@1 master - 0 0 3 connected 10923-16383
				a2 127.0.0.1:30004@1 slave a1 0 0 1 connected
				b2 127.0.0.1:30005@1 slave b1 0 0 2 connected
				c2 127.0.0.1:30006@1 slave c1 0 0 3 connected
				""");
	}

	static ClusterView failing() {
		return ClusterView.parse("""
				a1 127.0.0.1:30001@1 master - 0 0 1 connected 0-5460
				b1 127.0.0.1:30002@1 master - 0 0 2 connected 5461-10922
				c1 127.0.0.1:30003@1 master,fail? - 0 0 3 disconnected 10923-16383
				a2 127.0.0.1:30004@1 slave a1 0 0 1 connected
				b2 127.0.0.1:30005@1 slave b1 0 0 2 connected
				c2 127.0.0.1:30006@1 slave c1 0 0 3 connected
				""");
	}

	static ClusterView promoted() {
		return ClusterView.parse("""
				a1 127.0.0.1:30001@1 master - 0 0 1 connected 0-5460
				b1 127.0.0.1:30002@1 master - 0 0 2 connected 5461-10922
				c1 127.0.0.1:30003@1 master,fail - 0 0 3 disconnected
				a2 127.0.0.1:30004@1 slave a1 0 0 1 connected
				b2 127.0.0.1:30005@1 slave b1 0 0 2 connected
				c2 127.0.0.1:30006@1 master - 0 0 7 connected 10923-16383
				""");
	}

	private static ClusterView promotedTwice() {
		return ClusterView.parse("""
				a1 127.0.0.1:30001@1 master - 0 0 1 connected 0-5460
				b1 127.0.0.1:30002@1 master,fail - 0 0 2 disconnected
				b2 127.0.0.1:30005@1 master - 0 0 8 connected 5461-10922
				c2 127.0.0.1:30006@1 master - 0 0 7 connected 10923-16383
				""");
	}

}
