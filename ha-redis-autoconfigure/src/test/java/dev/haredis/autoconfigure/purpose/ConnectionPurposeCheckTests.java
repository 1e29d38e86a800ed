package dev.haredis.autoconfigure.purpose;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.haredis.autoconfigure.connection.ConnectionSettings;
import dev.haredis.connection.MasterLettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

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

	private ConnectionPurpose purpose(String name, int database, String prefix, boolean storesKeys) {
		return new ConnectionPurpose(name, new ConnectionSettings(database, null, null, null, null), false, prefix,
				storesKeys, this.factory);
	}

}
