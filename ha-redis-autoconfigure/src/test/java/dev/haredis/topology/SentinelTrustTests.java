package dev.haredis.topology;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

class SentinelTrustTests {

	private static final NodeAddress CONFIGURED_A = new NodeAddress("10.0.0.11", 26379);

	private static final NodeAddress CONFIGURED_B = new NodeAddress("10.0.0.12", 26379);

	private static final NodeAddress LEARNED_C = new NodeAddress("10.0.0.13", 26379);

	private static final NodeAddress ROGUE = new NodeAddress("10.6.6.6", 26379);

	private static final NodeAddress MASTER = new NodeAddress("10.0.0.1", 6379);

	private static final NodeAddress REPLICA = new NodeAddress("10.0.0.2", 6379);

	private static final NodeAddress ROGUE_MASTER = new NodeAddress("10.6.6.7", 6379);

	private static final Set<NodeAddress> KNOWN = Set.of(MASTER, REPLICA);

	private final SentinelTrust trust = new SentinelTrust(List.of(CONFIGURED_A, CONFIGURED_B), 2);

	@Test
	void aConfiguredSentinelsEventIsTrustedWhateverItNames() {
		assertThat(this.trust.trustsEvent(switchMaster(CONFIGURED_A, ROGUE_MASTER), ROGUE_MASTER, KNOWN)).isTrue();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aLearnedSentinelsEventIsTrustedOnlyForAKnownNodeAndARefusalIsLoggedOnce(CapturedOutput output) {
		assertThat(this.trust.trustsEvent(switchMaster(LEARNED_C, REPLICA), REPLICA, KNOWN)).isTrue();
		assertThat(this.trust.trustsEvent(switchMaster(ROGUE, ROGUE_MASTER), ROGUE_MASTER, KNOWN)).isFalse();
		assertThat(this.trust.trustsEvent(switchMaster(ROGUE, ROGUE_MASTER), ROGUE_MASTER, KNOWN)).isFalse();
		assertThat(output.getOut()).containsOnlyOnce("Ignoring +switch-master from sentinel 10.6.6.6:26379");
	}

	@Test
	void aMasterNamedOnlyByALearnedSentinelIsNotConfirmedWhileAConfiguredOneAnswers() {
		List<SentinelView> views = List.of(view(CONFIGURED_A, MASTER, 3), view(CONFIGURED_B, MASTER, 3),
				view(ROGUE, ROGUE_MASTER, 999));
		assertThat(this.trust.confirms(ROGUE_MASTER, views, KNOWN)).isFalse();
		assertThat(this.trust.best(views, KNOWN)).isSameAs(views.get(0));
		assertThat(this.trust.unconfirmed(views, KNOWN)).containsExactly(Map.entry(ROGUE, ROGUE_MASTER));
	}

	@Test
	void learnedSentinelsCannotOutvoteAConfiguredOneThatAnswers() {
		List<SentinelView> views = List.of(view(CONFIGURED_A, MASTER, 3), unreachable(CONFIGURED_B),
				view(ROGUE, ROGUE_MASTER, 9), view(new NodeAddress("10.6.6.6", 26380), ROGUE_MASTER, 9),
				view(new NodeAddress("10.6.6.6", 26381), ROGUE_MASTER, 9));
		assertThat(this.trust.confirms(ROGUE_MASTER, views, KNOWN)).isFalse();
		assertThat(this.trust.best(views, KNOWN)).isSameAs(views.get(0));
	}

	@Test
	void aNewMasterNamedByAConfiguredSentinelIsConfirmed() {
		NodeAddress promoted = new NodeAddress("10.0.0.3", 6379);
		List<SentinelView> views = List.of(view(CONFIGURED_A, MASTER, 3), view(CONFIGURED_B, promoted, 4));
		assertThat(this.trust.confirms(promoted, views, KNOWN)).isTrue();
		assertThat(this.trust.best(views, KNOWN)).isSameAs(views.get(1));
		assertThat(this.trust.unconfirmed(views, KNOWN)).isEmpty();
	}

	@Test
	void aKnownNodeNamedByALearnedSentinelIsConfirmedButNotFollowedWhileAConfiguredOneAnswers() {
		List<SentinelView> views = List.of(view(CONFIGURED_A, MASTER, 3), view(LEARNED_C, REPLICA, 4));
		assertThat(this.trust.confirms(REPLICA, views, KNOWN)).isTrue();
		assertThat(this.trust.unconfirmed(views, KNOWN)).isEmpty();
		assertThat(this.trust.best(views, KNOWN)).isSameAs(views.get(0));
	}

	@Test
	void aLearnedSentinelNamingTheRealMasterWithAMadeUpEpochIsNotFollowed() {
		// Its replica list would otherwise make its own address a known node.
		List<SentinelView> views = List.of(view(CONFIGURED_A, MASTER, 3), view(CONFIGURED_B, MASTER, 3),
				view(ROGUE, MASTER, 1000));
		assertThat(this.trust.best(views, KNOWN)).isSameAs(views.get(0));
		assertThat(this.trust.vouchesForReplicas(views.get(0))).isTrue();
		assertThat(this.trust.vouchesForReplicas(views.get(2))).isFalse();
	}

	@Test
	void withoutAConfiguredSentinelALearnedOneNamingAKnownNodeAloneIsNotFollowed() {
		List<SentinelView> views = List.of(unreachable(CONFIGURED_A), unreachable(CONFIGURED_B),
				view(LEARNED_C, MASTER, 3), view(new NodeAddress("10.0.0.14", 26379), MASTER, 3),
				view(ROGUE, REPLICA, 1000));
		assertThat(this.trust.best(views, KNOWN)).isSameAs(views.get(2));
	}

	@Test
	void onlyAConfiguredSentinelsEventsAreActedOn() {
		assertThat(this.trust.actsOn(odown(CONFIGURED_A))).isTrue();
		assertThat(this.trust.actsOn(odown(LEARNED_C))).isFalse();
	}

	@Test
	void whileAConfiguredSentinelAnswersOnlyItsListOfSentinelsCounts() {
		SentinelView configured = listing(CONFIGURED_A, LEARNED_C);
		SentinelView rogue = listing(ROGUE, new NodeAddress("10.6.6.6", 26380));
		List<SentinelView> views = List.of(configured, unreachable(CONFIGURED_B), rogue);
		assertThat(this.trust.listing(views)).containsExactly(configured);
		assertThat(this.trust.unlisted(views, Set.of(LEARNED_C, ROGUE), Set.of(LEARNED_C))).containsExactly(ROGUE);
	}

	@Test
	void withoutAConfiguredSentinelOnlyLearnedOnesThatDoNotAnswerAndAreUnlistedAreForgotten() {
		NodeAddress gone = new NodeAddress("10.0.0.15", 26379);
		SentinelView learned = listing(LEARNED_C, ROGUE);
		SentinelView rogue = listing(ROGUE, LEARNED_C);
		List<SentinelView> views = List.of(unreachable(CONFIGURED_A), learned, rogue,
				SentinelView.unreachable(gone, "connection refused"));
		assertThat(this.trust.listing(views)).containsExactly(learned, rogue);
		assertThat(this.trust.unlisted(views, Set.of(LEARNED_C, ROGUE, gone), Set.of(LEARNED_C, ROGUE)))
			.containsExactly(gone);
		assertThat(this.trust.unlisted(List.of(unreachable(CONFIGURED_A), SentinelView.unreachable(gone, "refused")),
				Set.of(gone), Set.of())).isEmpty();
	}

	@Test
	void withoutAConfiguredSentinelAStrictMajorityOfThoseReachedDecides() {
		NodeAddress promoted = new NodeAddress("10.0.0.3", 6379);
		NodeAddress learnedD = new NodeAddress("10.0.0.14", 26379);
		List<SentinelView> majority = List.of(unreachable(CONFIGURED_A), unreachable(CONFIGURED_B),
				view(LEARNED_C, promoted, 4), view(learnedD, promoted, 4), view(ROGUE, ROGUE_MASTER, 9));
		assertThat(this.trust.confirms(promoted, majority, KNOWN)).isTrue();
		assertThat(this.trust.confirms(ROGUE_MASTER, majority, KNOWN)).isFalse();
		assertThat(this.trust.best(majority, KNOWN)).isSameAs(majority.get(2));
		List<SentinelView> tie = List.of(unreachable(CONFIGURED_A), view(LEARNED_C, promoted, 4),
				view(ROGUE, ROGUE_MASTER, 9));
		assertThat(this.trust.confirms(promoted, tie, KNOWN)).isFalse();
		assertThat(this.trust.best(tie, KNOWN)).isNull();
	}

	@Test
	void aSentinelThatAnswersWithoutAMasterStillCountsAsAnswering() {
		List<SentinelView> views = List.of(unreachable(CONFIGURED_A), view(LEARNED_C, ROGUE_MASTER, 9),
				view(new NodeAddress("10.0.0.14", 26379), null, 0));
		assertThat(this.trust.confirms(ROGUE_MASTER, views, KNOWN)).isFalse();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void learnedSentinelsAreBoundedAndTheFirstRefusalIsLoggedAsAWarning(CapturedOutput output) {
		assertThat(this.trust.mayLearn(LEARNED_C, 1)).isTrue();
		assertThat(this.trust.mayLearn(ROGUE, 2)).isFalse();
		assertThat(this.trust.mayLearn(new NodeAddress("10.6.6.6", 26380), 2)).isFalse();
		assertThat(output.getOut()).containsOnlyOnce("ha.redis.sentinel.max-learned=2");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void eachUnconfirmedMasterIsLoggedOnce(CapturedOutput output) {
		this.trust.reportUnconfirmed(Map.of(ROGUE, ROGUE_MASTER));
		this.trust.reportUnconfirmed(Map.of(ROGUE, ROGUE_MASTER));
		assertThat(output.getOut()).containsOnlyOnce("Sentinel 10.6.6.6:26379, learned from the others, names "
				+ "10.6.6.7:6379 as master");
	}

	private static SentinelEvent switchMaster(NodeAddress sentinel, NodeAddress to) {
		return SentinelEvent.parse("+switch-master", "mymaster 10.0.0.1 6379 " + to.host() + " " + to.port(), sentinel,
				Instant.EPOCH);
	}

	private static SentinelView view(NodeAddress sentinel, @Nullable NodeAddress master, long configEpoch) {
		return new SentinelView(sentinel, null, master, Map.of("config-epoch", Long.toString(configEpoch)), List.of(),
				List.of(), "OK", true);
	}

	private static SentinelEvent odown(NodeAddress sentinel) {
		return SentinelEvent.parse("+odown", "master mymaster 10.0.0.1 6379 #quorum 2/2", sentinel, Instant.EPOCH);
	}

	private static SentinelView listing(NodeAddress sentinel, NodeAddress listed) {
		return new SentinelView(sentinel, null, MASTER, Map.of("config-epoch", "3"), List.of(),
				List.of(Map.of("ip", listed.host(), "port", Integer.toString(listed.port()))), "OK", true);
	}

	private static SentinelView unreachable(NodeAddress sentinel) {
		return SentinelView.unreachable(sentinel, "connection refused");
	}

}
