package dev.haredis.test.history;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerFilterTests {

	private final AnswerFilter filter = new AnswerFilter();

	@Test
	void masterReplyBecomesAMapWithoutThePollClocks() {
		Object reply = AnswerFilter.sentinelReply(SentinelCommand.MASTER, List.of("name", "mymaster", "flags", "master",
				"last-ping-sent", "0", "last-ok-ping-reply", "12", "info-refresh", "345", "num-slaves", "1"));
		assertThat(reply).isEqualTo(Map.of("name", "mymaster", "flags", "master", "num-slaves", "1"));
	}

	@Test
	void replicasReplyBecomesAListOfMaps() {
		Object reply = AnswerFilter.sentinelReply(SentinelCommand.REPLICAS,
				List.of(List.of("ip", "127.0.0.1", "port", "6380", "role-reported-time", "77")));
		assertThat(reply).isEqualTo(List.of(Map.of("ip", "127.0.0.1", "port", "6380")));
	}

	@Test
	void anUnchangedAnswerIsWrittenOnce() {
		assertThat(this.filter.shouldWrite("s master", "a", "a", 0)).isTrue();
		assertThat(this.filter.shouldWrite("s master", "a", "a", 100)).isFalse();
		assertThat(this.filter.shouldWrite("s master", "b", "b", 200)).isTrue();
		assertThat(this.filter.shouldWrite("other master", "b", "b", 200)).isTrue();
	}

	@Test
	void anAnswerThatOnlyMovedItsOffsetsIsWrittenAtMostOncePerSecond() {
		List<Object> role = List.of("master", 100L, List.of(List.of("127.0.0.1", "6380", "100")));
		List<Object> moved = List.of("master", 200L, List.of(List.of("127.0.0.1", "6380", "200")));
		List<Object> later = List.of("master", 300L, List.of(List.of("127.0.0.1", "6380", "300")));
		assertThat(this.filter.shouldWrite("role n", role, AnswerFilter.roleWithoutOffsets(role), 0)).isTrue();
		assertThat(this.filter.shouldWrite("role n", moved, AnswerFilter.roleWithoutOffsets(moved), 500)).isFalse();
		assertThat(this.filter.shouldWrite("role n", later, AnswerFilter.roleWithoutOffsets(later), 1000)).isTrue();
	}

	@Test
	void aRoleChangeIsWrittenAtOnceWhateverTheOffsets() {
		List<Object> master = List.of("master", 100L, List.of());
		List<Object> replica = List.of("slave", "127.0.0.1", 6380L, "connected", 100L);
		assertThat(this.filter.shouldWrite("role n", master, AnswerFilter.roleWithoutOffsets(master), 0)).isTrue();
		assertThat(this.filter.shouldWrite("role n", replica, AnswerFilter.roleWithoutOffsets(replica), 10)).isTrue();
	}

	@Test
	void replicaOrderDoesNotCountAsAChange() {
		Map<String, String> first = Map.of("ip", "127.0.0.1", "port", "6380", "slave-repl-offset", "5");
		Map<String, String> second = Map.of("ip", "127.0.0.1", "port", "6381", "slave-repl-offset", "9");
		assertThat(AnswerFilter.comparable(SentinelCommand.REPLICAS, List.of(first, second)))
			.isEqualTo(AnswerFilter.comparable(SentinelCommand.REPLICAS,
					List.of(Map.of("ip", "127.0.0.1", "port", "6381", "slave-repl-offset", "10"), first)));
	}

}
