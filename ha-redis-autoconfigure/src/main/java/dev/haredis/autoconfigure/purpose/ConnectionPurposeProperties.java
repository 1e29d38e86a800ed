package dev.haredis.autoconfigure.purpose;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import dev.haredis.autoconfigure.connection.ConnectionSettings;
import dev.haredis.autoconfigure.internal.PropertyChecks;

/**
 * Settings shared by the connection factories ha-redis builds for one purpose (cache, sessions, messaging, queue).
 * Each one left unset falls back to the top-level {@code ha.redis.*} setting, as
 * {@link ConnectionSettings#withOverrides} says.
 */
public abstract class ConnectionPurposeProperties implements ConnectionSettings.Overrides, Validator {

	/**
	 * Whether to build a connection factory for this purpose.
	 */
	private boolean enabled = true;

	/**
	 * Database index for this purpose. Defaults to 'ha.redis.database'. Redis Cluster only has database 0: use a
	 * key prefix there.
	 */
	private @Nullable Integer database;

	/**
	 * Prefix for every key this purpose writes, the only isolation that also works on Redis Cluster.
	 */
	private @Nullable String keyPrefix;

	/**
	 * Read timeout of commands. Defaults to 'ha.redis.timeout'.
	 */
	private @Nullable Duration timeout;

	/**
	 * Client name to be set on connections with CLIENT SETNAME. Defaults to 'ha.redis.client-name'.
	 */
	private @Nullable String clientName;

	/**
	 * Login username of the data nodes for this purpose. Defaults to 'ha.redis.username'.
	 */
	private @Nullable String username;

	/**
	 * Login password of the data nodes for this purpose. Defaults to 'ha.redis.password'.
	 */
	private @Nullable String password;

	/**
	 * Return the name of this purpose in property names, for example {@code cache}.
	 * @return the purpose's name
	 */
	public abstract String purposeName();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	@Override
	public @Nullable Integer getDatabase() {
		return this.database;
	}

	public void setDatabase(@Nullable Integer database) {
		this.database = database;
	}

	public @Nullable String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(@Nullable String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	@Override
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public @Nullable String getClientName() {
		return this.clientName;
	}

	public void setClientName(@Nullable String clientName) {
		this.clientName = clientName;
	}

	@Override
	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	@Override
	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	@Override
	public boolean supports(Class<?> type) {
		return ConnectionPurposeProperties.class.isAssignableFrom(type);
	}

	@Override
	public final void validate(Object target, Errors errors) {
		PropertyChecks checks = new PropertyChecks(errors);
		ConnectionPurposeProperties properties = (ConnectionPurposeProperties) target;
		checks.database("database", properties.getDatabase());
		checks.positive("timeout", properties.getTimeout(), "5s");
		checks.clientName("client-name", properties.getClientName());
		checks.credentials("username", properties.getUsername(), properties.getPassword(),
				"ha.redis." + purposeName() + ".password");
		properties.validate(checks);
	}

	/**
	 * Check the values of the properties of this purpose alone. Does nothing by default.
	 * @param checks the checks to report to
	 */
	protected void validate(PropertyChecks checks) {
	}

}
