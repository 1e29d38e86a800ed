package dev.haredis.connection;

import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WriteGuardTests {

	@Test
	void dataWritesAndScriptsAndExecAreWrites() {
		assertThat(WriteGuard.isWrite(CommandType.SET)).isTrue();
		assertThat(WriteGuard.isWrite(CommandType.HSET)).isTrue();
		assertThat(WriteGuard.isWrite(CommandType.XADD)).isTrue();
		assertThat(WriteGuard.isWrite(CommandType.DEL)).isTrue();
		assertThat(WriteGuard.isWrite(CommandType.EVALSHA)).isTrue();
		assertThat(WriteGuard.isWrite(CommandType.EXEC)).isTrue();
	}

	@Test
	void readsAndConnectionAndPubSubCommandsAreNot() {
		assertThat(WriteGuard.isWrite(CommandType.GET)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.HGETALL)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.HELLO)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.AUTH)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.SELECT)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.CLIENT)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.PING)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.SUBSCRIBE)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.PUBLISH)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.WAIT)).isFalse();
		assertThat(WriteGuard.isWrite(CommandType.MULTI)).isFalse();
	}

}
