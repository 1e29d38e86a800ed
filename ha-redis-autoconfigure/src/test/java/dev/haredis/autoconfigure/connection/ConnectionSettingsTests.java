package dev.haredis.autoconfigure.connection;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fallback rules of a purpose's connection settings: each one it leaves unset is the top-level one, and the
 * credentials go together.
 */
class ConnectionSettingsTests {

	private final ConnectionSettings topLevel = new ConnectionSettings(1, Duration.ofSeconds(5), "shop", "app",
			"app-secret");

	@Test
	void aPurposeThatSetsNothingConnectsWithTheTopLevelSettings() {
		assertThat(this.topLevel.withOverrides(new Overrides(null, null, null, null, null))).isEqualTo(this.topLevel);
	}

	@Test
	void eachSettingAPurposeSetsReplacesOnlyItsOwn() {
		assertThat(this.topLevel.withOverrides(new Overrides(4, null, null, null, null)))
			.isEqualTo(new ConnectionSettings(4, Duration.ofSeconds(5), "shop", "app", "app-secret"));
		assertThat(this.topLevel.withOverrides(new Overrides(null, Duration.ofMillis(250), null, null, null)))
			.isEqualTo(new ConnectionSettings(1, Duration.ofMillis(250), "shop", "app", "app-secret"));
		assertThat(this.topLevel.withOverrides(new Overrides(null, null, "shop-cache", null, null)))
			.isEqualTo(new ConnectionSettings(1, Duration.ofSeconds(5), "shop-cache", "app", "app-secret"));
		assertThat(this.topLevel.withOverrides(new Overrides(0, null, null, null, null)).database())
			.as("database 0 is a setting, not a fallback")
			.isZero();
	}

	@Test
	void credentialsGoTogether() {
		ConnectionSettings ownUser = this.topLevel
			.withOverrides(new Overrides(null, null, null, "cache", "cache-secret"));
		assertThat(ownUser.username()).isEqualTo("cache");
		assertThat(ownUser.password()).isEqualTo("cache-secret");
		ConnectionSettings passwordOnly = this.topLevel.withOverrides(new Overrides(null, null, null, null, "other"));
		assertThat(passwordOnly.username()).as("not the top-level username").isNull();
		assertThat(passwordOnly.password()).isEqualTo("other");
		ConnectionSettings usernameOnly = this.topLevel.withOverrides(new Overrides(null, null, null, "cache", null));
		assertThat(usernameOnly.username()).isEqualTo("cache");
		assertThat(usernameOnly.password()).as("not the top-level password").isNull();
	}

	@Test
	void onlyTheDatabaseAndCredentialsAreSeenByTheServer() {
		assertThat(this.topLevel.withOverrides(new Overrides(null, Duration.ofMillis(250), "other", null, null))
			.sameServerSideAs(this.topLevel)).isTrue();
		assertThat(this.topLevel.withOverrides(new Overrides(2, null, null, null, null))
			.sameServerSideAs(this.topLevel)).isFalse();
		assertThat(this.topLevel.withOverrides(new Overrides(null, null, null, "app", "rotated"))
			.sameServerSideAs(this.topLevel)).isFalse();
		assertThat(this.topLevel.withOverrides(new Overrides(null, null, null, "app", "app-secret"))
			.sameServerSideAs(this.topLevel)).as("the same credentials, given again").isTrue();
	}

	@Test
	void printsNoPassword() {
		assertThat(this.topLevel).asString().doesNotContain("app-secret").contains("username=app", "password=****");
	}

	private record Overrides(@Nullable Integer getDatabase, @Nullable Duration getTimeout,
			@Nullable String getClientName, @Nullable String getUsername,
			@Nullable String getPassword) implements ConnectionSettings.Overrides {

		@Override
		public String toString() {
			return "Overrides[database=" + this.getDatabase + "]";
		}

	}

}
