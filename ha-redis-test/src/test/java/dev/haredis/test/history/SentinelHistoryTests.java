package dev.haredis.test.history;

import java.io.StringReader;
import java.util.List;

import dev.haredis.test.history.HistoryRecord.Event;
import dev.haredis.test.history.HistoryRecord.Fault;
import dev.haredis.test.history.HistoryRecord.Header;
import dev.haredis.test.history.HistoryRecord.Link;
import dev.haredis.test.history.HistoryRecord.RoleAnswer;
import dev.haredis.test.history.HistoryRecord.SentinelAnswer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SentinelHistoryTests {

	private static final String SENTINEL = "127.0.0.1:26379";

	private final SentinelHistory history = SentinelHistory.fromResource("dev/haredis/test/history/small-kill.jsonl");

	@Test
	void readsTheHeader() {
		Header header = this.history.header();
		assertThat(header.t()).isZero();
		assertThat(header.redis()).isEqualTo("6.2.6");
		assertThat(header.scenario()).isEqualTo("kill");
		assertThat(header.masterName()).isEqualTo("mymaster");
		assertThat(header.sentinels()).containsExactly(SENTINEL, "127.0.0.1:26380");
		assertThat(header.dataNodes()).containsExactly("127.0.0.1:6379", "127.0.0.1:6380");
		assertThat(header.downAfterMillis()).isEqualTo(2000);
		assertThat(header.failoverTimeoutMillis()).isEqualTo(10000);
		assertThat(header.pollIntervalMillis()).isEqualTo(100);
		assertThat(header.announcedAddresses()).containsEntry("127.0.0.2:6380", "127.0.0.1:6380");
		assertThat(this.history.records()).first().isSameAs(header);
	}

	@Test
	void listsEventsFaultsAndLinksInOrder() {
		assertThat(this.history.events()).extracting(Event::t, Event::channel)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(3100L, "+sdown"),
					org.assertj.core.groups.Tuple.tuple(4200L, "+switch-master"));
		assertThat(this.history.events().get(1).message()).isEqualTo("mymaster 127.0.0.1 6379 127.0.0.1 6380");
		assertThat(this.history.faults()).extracting(Fault::description)
			.containsExactly("kill -9 master 127.0.0.1:6379");
		assertThat(this.history.links()).extracting(Link::sentinel, Link::up)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(SENTINEL, true),
					org.assertj.core.groups.Tuple.tuple("127.0.0.1:26380", false));
		assertThat(this.history.duration()).isEqualTo(5000);
	}

	@Test
	void sentinelAnswerAtIsTheLatestRecordedAtOrBeforeThatTime() {
		assertThat(this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.GET_MASTER_ADDR, 5)).isEmpty();
		assertThat(this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.GET_MASTER_ADDR, 6))
			.get()
			.extracting(SentinelAnswer::address)
			.isEqualTo(java.util.Optional.of("127.0.0.1:6379"));
		assertThat(this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.GET_MASTER_ADDR, 4209).get().address())
			.contains("127.0.0.1:6379");
		assertThat(this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.GET_MASTER_ADDR, 4210).get().address())
			.contains("127.0.0.1:6380");
		assertThat(this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.GET_MASTER_ADDR, 60_000).get().address())
			.contains("127.0.0.1:6380");
	}

	@Test
	void typedRepliesOfEachCommand() {
		SentinelAnswer master = this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.MASTER, 100).orElseThrow();
		assertThat(master.answered()).isTrue();
		assertThat(master.fields()).containsEntry("flags", "master").containsEntry("num-slaves", "1");
		SentinelAnswer replicas = this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.REPLICAS, 100).orElseThrow();
		assertThat(replicas.entries()).singleElement().satisfies((entry) -> assertThat(entry).containsEntry("port", "6380"));
		assertThat(this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.CKQUORUM, 100).orElseThrow().text())
			.hasValueSatisfying((text) -> assertThat(text).startsWith("OK 2"));
		SentinelAnswer noAddress = this.history
			.sentinelAnswerAt("127.0.0.1:26380", SentinelCommand.GET_MASTER_ADDR, 4300)
			.orElseThrow();
		assertThat(noAddress.answered()).isTrue();
		assertThat(noAddress.reply()).isNull();
		assertThat(noAddress.address()).isEmpty();
	}

	@Test
	void anErrorTakesThePlaceOfTheReply() {
		SentinelAnswer quorum = this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.CKQUORUM, 3100).orElseThrow();
		assertThat(quorum.answered()).isFalse();
		assertThat(quorum.error()).startsWith("NOQUORUM");
		assertThat(quorum.reply()).isNull();
		assertThat(quorum.text()).isEmpty();
	}

	@Test
	void roleAtIsTheLatestRoleAnswerAtOrBeforeThatTime() {
		assertThat(this.history.roleAt("127.0.0.1:6379", 9)).isEmpty();
		RoleAnswer master = this.history.roleAt("127.0.0.1:6379", 999).orElseThrow();
		assertThat(master.role()).contains("master");
		assertThat(master.reply()).element(1).isEqualTo(100);
		RoleAnswer killed = this.history.roleAt("127.0.0.1:6379", 2000).orElseThrow();
		assertThat(killed.error()).isEqualTo("connection refused");
		assertThat(killed.role()).isEmpty();
		assertThat(this.history.roleAt("127.0.0.1:6380", 4399).orElseThrow().masterAddress()).contains("127.0.0.1:6379");
		assertThat(this.history.roleAt("127.0.0.1:6380", 4400).orElseThrow().role()).contains("master");
	}

	@Test
	void answersSayHowLongTheyTook() {
		assertThat(this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.MASTER, 100).orElseThrow().took())
			.isEqualTo(1);
		assertThat(this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.CKQUORUM, 3100).orElseThrow().took())
			.isEqualTo(200);
		assertThat(this.history.roleAt("127.0.0.1:6379", 2000).orElseThrow().took()).isZero();
		assertThat(this.history.roleAt("127.0.0.1:6380", 4400).orElseThrow().took()).isEqualTo(3);
	}

	@Test
	void anAnswerRecordedWithoutItsDurationTookAnUnknownTime() {
		assertThat(this.history.sentinelAnswerAt(SENTINEL, SentinelCommand.GET_MASTER_ADDR, 6).orElseThrow().took())
			.isEqualTo(-1);
		assertThat(this.history.roleAt("127.0.0.1:6379", 999).orElseThrow().took()).isEqualTo(-1);
	}

	@Test
	void sentinelsIncludeThoseOfTheHeaderAndThoseHeardFrom() {
		SentinelHistory learned = read(List.of(header(), "{\"t\":5,\"type\":\"event\",\"sentinel\":\"127.0.0.1:26381\","
				+ "\"channel\":\"+sentinel\",\"message\":\"m\"}"));
		assertThat(learned.sentinels()).containsExactly("127.0.0.1:1", "127.0.0.1:26381");
	}

	@Test
	void linesOfTheSameMillisecondKeepTheirOrder() {
		SentinelHistory sameTime = read(List.of(header(), fault(7, "first"), fault(7, "second"), fault(3, "earlier")));
		assertThat(sameTime.faults()).extracting(Fault::description).containsExactly("earlier", "first", "second");
	}

	@Test
	void aHistoryWithoutHeaderFirstIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> read(List.of(fault(0, "x"), header())))
			.withMessageContaining("starts with its header");
	}

	@Test
	void anUnknownLineTypeIsRejectedWithItsLineNumber() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> read(List.of(header(), "{\"t\":1,\"type\":\"gossip\"}")))
			.withMessageContaining("line 2")
			.withMessageContaining("gossip");
	}

	@Test
	void anUnknownSentinelCommandIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> read(List.of(header(),
					"{\"t\":1,\"type\":\"sentinel\",\"sentinel\":\"a:1\",\"command\":\"masters\",\"reply\":[]}")))
			.withMessageContaining("Unknown sentinel command 'masters'");
	}

	private static SentinelHistory read(List<String> lines) {
		return SentinelHistory.read(new StringReader(String.join("\n", lines)), "test");
	}

	private static String header() {
		return "{\"t\":0,\"type\":\"header\",\"redis\":\"7.0.15\",\"scenario\":\"s\",\"masterName\":\"m\","
				+ "\"sentinels\":[\"127.0.0.1:1\"],\"dataNodes\":[]}";
	}

	private static String fault(long t, String description) {
		return "{\"t\":" + t + ",\"type\":\"fault\",\"description\":\"" + description + "\"}";
	}

}
