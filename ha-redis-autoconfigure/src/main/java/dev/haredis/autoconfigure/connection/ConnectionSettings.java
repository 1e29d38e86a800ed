package dev.haredis.autoconfigure.connection;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a connection factory connects with: built once from the top-level settings (the connection details and
 * {@code ha.redis.*}, with Spring Boot's {@code spring.data.redis.*} carried over), then for each purpose with
 * {@link #withOverrides the settings that purpose sets itself}. The fallback rules live here alone.
 *
 * @param database the database index
 * @param timeout the read timeout of commands, or {@code null} for Lettuce's default
 * @param clientName the client name to set on connections, or {@code null} for none
 * @param username the login username of the data nodes, or {@code null}
 * @param password the login password of the data nodes, or {@code null}
 */
public record ConnectionSettings(int database, @Nullable Duration timeout, @Nullable String clientName,
		@Nullable String username, @Nullable String password) {

	/**
	 * Return the top-level settings.
	 * @param details the connection details (database, credentials)
	 * @param bootSettings the client settings (timeout, client name)
	 * @return the settings
	 */
	static ConnectionSettings of(HaRedisConnectionDetails details, BootRedisSettings bootSettings) {
		return new ConnectionSettings(details.getDatabase(), bootSettings.timeout(), bootSettings.clientName(),
				details.getUsername(), details.getPassword());
	}

	/**
	 * Return these settings with those the overrides set in their place. Each setting left unset keeps this one,
	 * except for the credentials, which go together: overrides with a username or a password of their own do not
	 * inherit the other one.
	 * @param overrides the settings to use instead, each {@code null} to keep this one
	 * @return the settings
	 */
	public ConnectionSettings withOverrides(Overrides overrides) {
		boolean ownCredentials = overrides.getUsername() != null || overrides.getPassword() != null;
		return new ConnectionSettings(Objects.requireNonNullElse(overrides.getDatabase(), this.database),
				(overrides.getTimeout() != null) ? overrides.getTimeout() : this.timeout,
				(overrides.getClientName() != null) ? overrides.getClientName() : this.clientName,
				ownCredentials ? overrides.getUsername() : this.username,
				ownCredentials ? overrides.getPassword() : this.password);
	}

	/**
	 * Whether the server accepts these settings whenever it accepts the other ones: the same database and
	 * credentials.
	 * @param other the other settings
	 * @return whether the server sees no difference
	 */
	public boolean sameServerSideAs(ConnectionSettings other) {
		return this.database == other.database && Objects.equals(this.username, other.username)
				&& Objects.equals(this.password, other.password);
	}

	@Override
	public String toString() {
		return "ConnectionSettings[database=" + this.database + ", timeout=" + this.timeout + ", clientName="
				+ this.clientName + ", username=" + this.username + ", password="
				+ ((this.password != null) ? "****" : null) + "]";
	}

	/**
	 * Settings that replace some of those of a {@link ConnectionSettings}, as a purpose's properties do; each one
	 * {@code null} keeps the setting it would replace.
	 */
	public interface Overrides {

		/**
		 * Return the database index.
		 * @return the database, or {@code null} to keep the current one
		 */
		@Nullable Integer getDatabase();

		/**
		 * Return the read timeout of commands.
		 * @return the timeout, or {@code null} to keep the current one
		 */
		@Nullable Duration getTimeout();

		/**
		 * Return the client name.
		 * @return the client name, or {@code null} to keep the current one
		 */
		@Nullable String getClientName();

		/**
		 * Return the login username.
		 * @return the username, or {@code null} (with no password either) to keep the current credentials
		 */
		@Nullable String getUsername();

		/**
		 * Return the login password.
		 * @return the password, or {@code null} (with no username either) to keep the current credentials
		 */
		@Nullable String getPassword();

	}

}
