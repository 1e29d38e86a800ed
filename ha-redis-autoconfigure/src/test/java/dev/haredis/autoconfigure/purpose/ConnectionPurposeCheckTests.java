package dev.haredis.autoconfigure.purpose;

import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;

import dev.haredis.autoconfigure.connection.ConnectionSettings;
import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.connection.MasterLettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;

class ConnectionPurposeCheckTests {

	private final MasterLettuceConnectionFactory factory = mock(MasterLettuceConnectionFactory.class);

	@Test
	void warnsWhenTwoPurposesShareADatabaseWithoutPrefix() {
		List<String> warnings = ConnectionPurposeCheck.collisions(
				List.of(purpose("cache", 0, null, true), purpose("queue", 0, null, true)));
		assertThat(warnings).singleElement()
			.asString()
			.contains("ha.redis.cache and ha.redis.queue both write to database 0 without a key prefix")
			.contains("ha.redis.queue.key-prefix");
	}

	@Test
	void warnsWhenTwoPurposesShareADatabaseAndPrefix() {
		assertThat(ConnectionPurposeCheck.collisions(
				List.of(purpose("cache", 1, "app:", true), purpose("session", 1, "app:", true))))
			.singleElement()
			.asString()
			.contains("with the key prefix 'app:'");
	}

	@Test
	void acceptsSeparateDatabasesOrPrefixes() {
		assertThat(ConnectionPurposeCheck.collisions(List.of(purpose("cache", 0, null, true),
				purpose("session", 0, "spring:session", true), purpose("other", 1, null, true))))
			.isEmpty();
	}

	@Test
	void ignoresPurposesThatStoreNoKeys() {
		assertThat(ConnectionPurposeCheck.collisions(
				List.of(purpose("cache", 0, null, true), purpose("messaging", 0, null, false))))
			.isEmpty();
	}

	@Test
	void aHandshakeCutShortIsTriedAgainUntilTheServersErrorNamesTheProperty() {
		MasterLettuceConnectionFactory failing = mock(MasterLettuceConnectionFactory.class);
		given(failing.getConnection()).willThrow(new RedisConnectionFailureException("Unable to connect",
				new RedisConnectionException("Connection closed prematurely")))
			.willThrow(new RedisConnectionFailureException("Unable to connect",
					new RedisCommandExecutionException("ERR DB index is out of range")));
		ConnectionPurposeCheck check = new ConnectionPurposeCheck(new ConnectionPurposes(List.of(ownDatabase(failing))),
				() -> true, true);
		assertThatExceptionOfType(HaRedisConfigurationException.class).isThrownBy(check::start)
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ha.redis.cache.database"));
		then(failing).should(times(2)).getConnection();
	}

	@Test
	void aHandshakeCutShortEveryTimeLeavesTheFailureToTheTopology() {
		MasterLettuceConnectionFactory failing = mock(MasterLettuceConnectionFactory.class);
		given(failing.getConnection()).willThrow(new RedisConnectionFailureException("Unable to connect",
				new RedisConnectionException("Connection closed prematurely")));
		ConnectionPurposeCheck check = new ConnectionPurposeCheck(new ConnectionPurposes(List.of(ownDatabase(failing))),
				() -> true, true);
		assertThatNoException().isThrownBy(check::start);
		then(failing).should(times(3)).getConnection();
	}

	private static ConnectionPurpose ownDatabase(MasterLettuceConnectionFactory factory) {
		return new ConnectionPurpose("cache", new ConnectionSettings(99, null, null, null, null), true, null, true,
				factory);
	}

	private ConnectionPurpose purpose(String name, int database, String prefix, boolean storesKeys) {
		return new ConnectionPurpose(name, new ConnectionSettings(database, null, null, null, null), false, prefix,
				storesKeys, this.factory);
	}

}
