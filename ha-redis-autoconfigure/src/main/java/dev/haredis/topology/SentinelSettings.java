package dev.haredis.topology;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Everything needed to find and verify the master of a Sentinel-managed topology.
 *
 * @param masterName the name the sentinels monitor the master under
 * @param sentinels the sentinels to ask, in order
 * @param sentinelCredentials the sentinels' own credentials
 * @param dataCredentials the credentials of the data nodes (master and replicas)
 * @param database the database index the application uses, checked against the master
 * @param sentinelSsl whether the sentinels are reached over TLS
 * @param dataSsl whether the data nodes are reached over TLS
 * @param timeout how long to wait for each sentinel query and each role check
 * @param addressMap turns the addresses the sentinels announce into addresses this application can reach
 */
public record SentinelSettings(String masterName, List<NodeAddress> sentinels, Credentials sentinelCredentials,
		Credentials dataCredentials, int database, boolean sentinelSsl, boolean dataSsl, Duration timeout,
		AddressMap addressMap) {

	public SentinelSettings {
		Assert.hasText(masterName, "'masterName' must not be empty");
		Assert.notEmpty(sentinels, "'sentinels' must not be empty");
		sentinels = List.copyOf(sentinels);
		Assert.notNull(addressMap, "'addressMap' must not be null");
	}

	/**
	 * Create settings where sentinels and data nodes are both reached over TLS, or both in plain text.
	 * @param masterName the name the sentinels monitor the master under
	 * @param sentinels the sentinels to ask, in order
	 * @param sentinelCredentials the sentinels' own credentials
	 * @param dataCredentials the credentials of the data nodes (master and replicas)
	 * @param database the database index the application uses, checked against the master
	 * @param ssl whether sentinels and data nodes are reached over TLS
	 * @param timeout how long to wait for each sentinel query and each role check
	 * @param addressMap turns the addresses the sentinels announce into addresses this application can reach
	 */
	public SentinelSettings(String masterName, List<NodeAddress> sentinels, Credentials sentinelCredentials,
			Credentials dataCredentials, int database, boolean ssl, Duration timeout, AddressMap addressMap) {
		this(masterName, sentinels, sentinelCredentials, dataCredentials, database, ssl, ssl, timeout, addressMap);
	}

	/**
	 * A username and password pair; either may be absent.
	 *
	 * @param username the username, or {@code null} for the default user
	 * @param password the password, or {@code null} for none
	 */
	public record Credentials(@Nullable String username, @Nullable String password) {

		/** No credentials. */
		public static final Credentials NONE = new Credentials(null, null);

		/**
		 * Return the credentials with the password masked, so they can be logged.
		 */
		@Override
		public String toString() {
			return "Credentials[username=" + this.username + ", password=" + ((this.password != null) ? "****" : null)
					+ "]";
		}

	}

}
