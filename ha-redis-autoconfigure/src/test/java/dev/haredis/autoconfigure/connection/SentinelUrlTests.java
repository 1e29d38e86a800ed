package dev.haredis.autoconfigure.connection;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SentinelUrlTests {

	@Test
	void parsesLettuceForm() {
		SentinelUrl url = SentinelUrl.parse("redis-sentinel://app:s3cret@h1:26379,h2:26380/2#mymaster");
		assertThat(url.nodes()).containsExactly(new NodeAddress("h1", 26379), new NodeAddress("h2", 26380));
		assertThat(url.username()).isEqualTo("app");
		assertThat(url.password()).isEqualTo("s3cret");
		assertThat(url.database()).isEqualTo(2);
		assertThat(url.master()).isEqualTo("mymaster");
		assertThat(url.ssl()).isFalse();
	}

	@Test
	void lettuceFormTakesMasterFromQueryAndTlsFromScheme() {
		SentinelUrl url = SentinelUrl.parse("rediss-sentinel://h1?sentinelMasterId=orders");
		assertThat(url.master()).isEqualTo("orders");
		assertThat(url.ssl()).isTrue();
		assertThat(url.nodes()).containsExactly(new NodeAddress("h1", 26379));
		assertThat(url.database()).isNull();
	}

	@Test
	void parsesKombuFormWithTrailingSemicolonAndSpaces() {
		SentinelUrl url = SentinelUrl.parse(" sentinel://:pw@h1:26379/1 ; sentinel://:pw@h2:26380/1; ");
		assertThat(url.nodes()).containsExactly(new NodeAddress("h1", 26379), new NodeAddress("h2", 26380));
		assertThat(url.username()).isNull();
		assertThat(url.password()).isEqualTo("pw");
		assertThat(url.database()).isEqualTo(1);
		assertThat(url.master()).isNull();
	}

	@Test
	void kombuPartsMayOmitCredentialsAndDatabaseAfterTheFirst() {
		SentinelUrl url = SentinelUrl.parse("sentinel://:pw@h1/3;sentinel://h2;sentinel://h3");
		assertThat(url.nodes()).extracting(NodeAddress::host).containsExactly("h1", "h2", "h3");
		assertThat(url.password()).isEqualTo("pw");
		assertThat(url.database()).isEqualTo(3);
	}

	@Test
	void parsesBracketedIpv6Hosts() {
		SentinelUrl url = SentinelUrl.parse("sentinel://[::1]:26379/0;sentinel://[2001:db8::7]/0");
		assertThat(url.nodes()).containsExactly(new NodeAddress("::1", 26379), new NodeAddress("2001:db8::7", 26379));
		assertThat(SentinelUrl.parse("redis-sentinel://[::1]:26379,[::1]:26380#m").nodes()).hasSize(2);
	}

	@Test
	void decodesPercentEncodedPasswordsButKeepsPlus() {
		SentinelUrl url = SentinelUrl.parse("redis-sentinel://user%40corp:p%40ss%3Aw%2Frd+1@h1#m");
		assertThat(url.username()).isEqualTo("user@corp");
		assertThat(url.password()).isEqualTo("p@ss:w/rd+1");
	}

	@Test
	void userInfoWithoutColonIsThePasswordAsInSpringBoot() {
		assertThat(SentinelUrl.parse("sentinel://secret@h1").password()).isEqualTo("secret");
		assertThat(SentinelUrl.parse("sentinel://secret@h1").username()).isNull();
	}

	@Test
	void rejectsUnknownScheme() {
		assertThatIllegalArgumentException().isThrownBy(() -> SentinelUrl.parse("redis://:pw@h1:6379"))
			.withMessage("'redis://****@h1:6379' must start with 'redis-sentinel://', 'rediss-sentinel://' or "
					+ "'sentinel://'");
	}

	@Test
	void rejectsMixedKombuParts() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SentinelUrl.parse("sentinel://h1;redis-sentinel://h2"))
			.withMessageContaining("must start with 'sentinel://'");
	}

	@Test
	void rejectsSeveralHostsInOneKombuPart() {
		assertThatIllegalArgumentException().isThrownBy(() -> SentinelUrl.parse("sentinel://h1,h2"))
			.withMessageContaining("one host per part");
	}

	@Test
	void rejectsDisagreeingKombuDatabases() {
		assertThatIllegalArgumentException().isThrownBy(() -> SentinelUrl.parse("sentinel://h1/1;sentinel://h2/2"))
			.withMessageContaining("different databases (1 and 2)");
	}

	@Test
	void rejectsBadPortAndDatabaseWithoutShowingThePassword() {
		assertThatIllegalArgumentException().isThrownBy(() -> SentinelUrl.parse("sentinel://:hunter2@h1:abc/0"))
			.withMessageContaining("port 'abc'")
			.withMessageNotContaining("hunter2");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SentinelUrl.parse("redis-sentinel://u:hunter2@h1/x#m"))
			.withMessageContaining("database 'x'")
			.withMessageNotContaining("hunter2");
	}

	@Test
	void rejectsBrokenPercentEncoding() {
		assertThatIllegalArgumentException().isThrownBy(() -> SentinelUrl.parse("sentinel://:50%@h1"))
			.withMessageContaining("%25");
	}

	@Test
	void masksPasswordsInEveryForm() {
		assertThat(SentinelUrl.mask("sentinel://:pw@h1;sentinel://u:pw@h2")).isEqualTo(
				"sentinel://****@h1;sentinel://****@h2");
		assertThat(SentinelUrl.mask("redis-sentinel://pw@h1")).isEqualTo("redis-sentinel://****@h1");
		assertThat(SentinelUrl.mask("redis-sentinel://h1")).isEqualTo("redis-sentinel://h1");
	}

	@ParameterizedTest(name = "[{0}] in a password and a username")
	@ValueSource(strings = { "/", "@", ":", ";", "#", "?", "%" })
	void readsAndMasksCredentialsWhateverCharactersTheyHold(String special) {
		String password = "hun" + special + "ter2";
		String username = "al" + special + "ice";
		String writtenPassword = password.replace("%", "%25");
		String writtenUsername = username.replace("%", "%25").replace(":", "%3A");
		String userInfo = writtenUsername + ":" + writtenPassword;
		for (String url : List.of("redis-sentinel://" + userInfo + "@h1:26379,h2:26380/2#mymaster",
				"sentinel://" + userInfo + "@h1:26379/2;sentinel://" + userInfo + "@h2:26380/2;")) {
			SentinelUrl parsed = SentinelUrl.parse(url);
			assertThat(parsed.username()).isEqualTo(username);
			assertThat(parsed.password()).isEqualTo(password);
			assertThat(parsed.database()).isEqualTo(2);
			assertThat(parsed.nodes()).containsExactly(new NodeAddress("h1", 26379), new NodeAddress("h2", 26380));
			assertNoFragmentOf(password, username, SentinelUrl.mask(url), parsed.toString());
			for (String malformed : List.of(url.replace("h2:26380", "h2:port"), url.replace("/2", "/x"),
					url.replace("sentinel://", "redis://"))) {
				assertThatIllegalArgumentException().isThrownBy(() -> SentinelUrl.parse(malformed))
					.satisfies((ex) -> assertNoFragmentOf(password, username, ex.getMessage()));
			}
		}
	}

	@Test
	void rejectsARawPercentInAPasswordWithoutShowingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> SentinelUrl.parse("sentinel://:hun%ter2@h1"))
			.withMessageContaining("encode '%' as %25")
			.withMessageNotContaining("ter2")
			.withMessageNotContaining("hun");
	}

	private static void assertNoFragmentOf(String password, String username, String... texts) {
		for (String text : texts) {
			assertThat(text).doesNotContain("ter2").doesNotContain("hun").doesNotContain("ice");
		}
	}

	@Test
	void toStringHidesThePassword() {
		assertThat(SentinelUrl.parse("sentinel://:hunter2@h1")).asString().doesNotContain("hunter2");
	}

}
