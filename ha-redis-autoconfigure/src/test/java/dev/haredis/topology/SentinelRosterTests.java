package dev.haredis.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which sentinels the topology follows, and under which address, with no process started.
 */
class SentinelRosterTests {

	private static final NodeAddress CONFIGURED = new NodeAddress("127.0.0.1", 26379);

	private static final NodeAddress LEARNED = new NodeAddress("127.0.0.1", 26382);

	private static final NodeAddress MOVED = new NodeAddress("127.0.0.1", 26383);

	private static final NodeAddress THIRD = new NodeAddress("127.0.0.1", 26384);

	private static final NodeAddress MASTER = new NodeAddress("127.0.0.1", 6379);

	private final SentinelRoster roster = new SentinelRoster(new SentinelTrust(List.of(CONFIGURED), 2),
			new AnnouncedAddresses(AddressMap.NONE));

	@Test
	void aLearnedSentinelThatStoppedAnsweringIsFollowedAtItsNewAddress() {
		follow(CONFIGURED, false, null);
		follow(LEARNED, true, "id-1");
		this.roster.answered(List.of(SentinelView.unreachable(LEARNED, "Connection refused")));

		assertThat(follow(MOVED, true, "id-1")).containsExactly(new TopologyDecision.Forget(LEARNED),
				new TopologyDecision.Follow(MOVED, true, "id-1"));
		assertThat(this.roster.followed()).containsExactly(CONFIGURED, MOVED);
	}

	@Test
	void aLearnedSentinelThatAnswersIsNotMovedByAnAnnouncementElsewhere() {
		follow(CONFIGURED, false, null);
		follow(LEARNED, true, "id-1");
		this.roster.answered(List.of(answering(LEARNED, "id-1")));

		assertThat(follow(MOVED, true, "id-1")).isEmpty();
		assertThat(this.roster.followed()).containsExactly(CONFIGURED, LEARNED);
	}

	@Test
	void aConfiguredSentinelIsNeverMovedNorFollowedTwiceUnderItsId() {
		follow(CONFIGURED, false, null);
		this.roster.answered(List.of(SentinelView.unreachable(CONFIGURED, "Connection refused").withId("own-id")));

		assertThat(follow(MOVED, true, "own-id")).isEmpty();
		assertThat(this.roster.followed()).containsExactly(CONFIGURED);
	}

	@Test
	void theIdASentinelGivesItselfIsKeptWhenALaterAnswerHasNone() {
		follow(CONFIGURED, false, null);
		this.roster.answered(List.of(answering(CONFIGURED, "own-id")));
		this.roster.answered(List.of(answering(CONFIGURED, null)));

		assertThat(follow(MOVED, true, "own-id")).isEmpty();
	}

	@Test
	void learnedSentinelsAreBounded() {
		follow(CONFIGURED, false, null);
		assertThat(follow(LEARNED, true, "id-1")).hasSize(1);
		assertThat(follow(MOVED, true, "id-2")).hasSize(1);
		assertThat(follow(THIRD, true, "id-3")).as("beyond max-learned").isEmpty();
		assertThat(this.roster.followed()).containsExactly(CONFIGURED, LEARNED, MOVED);
		assertThat(this.roster.follows(THIRD)).isFalse();
		assertThat(this.roster.follows(LEARNED)).isTrue();
	}

	@Test
	void aLearnedSentinelFoundUnderAnotherAddressIsForgottenAndTheConfiguredOneKept() {
		follow(CONFIGURED, false, null);
		follow(LEARNED, true, null);
		// Both give the same MYID: the learned one is the configured one under another name.
		this.roster.answered(List.of(answering(CONFIGURED, "same-id"), answering(LEARNED, "same-id")));
		List<TopologyDecision> decisions = new ArrayList<>();
		this.roster.update(List.of(listing(CONFIGURED, "same-id", LEARNED)), decisions);

		assertThat(decisions).containsExactly(new TopologyDecision.Forget(LEARNED));
		assertThat(this.roster.followed()).containsExactly(CONFIGURED);
	}

	private List<TopologyDecision> follow(NodeAddress sentinel, boolean learned, String id) {
		List<TopologyDecision> decisions = new ArrayList<>();
		this.roster.follow(sentinel, learned, id, decisions);
		return decisions;
	}

	private static SentinelView answering(NodeAddress sentinel, String id) {
		return new SentinelView(sentinel, null, MASTER, Map.of("config-epoch", "1"), List.of(), List.of(), "OK", true,
				id);
	}

	private static SentinelView listing(NodeAddress sentinel, String id, NodeAddress listed) {
		return new SentinelView(sentinel, null, MASTER, Map.of("config-epoch", "1"), List.of(),
				List.of(Map.of("ip", listed.host(), "port", Integer.toString(listed.port()), "runid", "same-id")), "OK",
				true, id);
	}

}
