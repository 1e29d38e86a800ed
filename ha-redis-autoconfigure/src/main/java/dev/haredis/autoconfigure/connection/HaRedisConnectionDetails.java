package dev.haredis.autoconfigure.connection;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * Details required to establish a connection to a Redis master and replicas watched by Sentinel. Define a bean of
 * this type (or let {@code @ServiceConnection} do it) to take over from the {@code ha.redis.*} properties.
 */
public interface HaRedisConnectionDetails extends ConnectionDetails {

	/**
	 * Sentinel configuration.
	 * @return the sentinel configuration
	 */
	Sentinel getSentinel();

	/**
	 * Login username of the data nodes (master and replicas).
	 * @return the username, or {@code null}
	 */
	default @Nullable String getUsername() {
		return null;
	}

	/**
	 * Login password of the data nodes (master and replicas).
	 * @return the password, or {@code null}
	 */
	default @Nullable String getPassword() {
		return null;
	}

	/**
	 * Database index used by the connection factory.
	 * @return the database index
	 */
	default int getDatabase() {
		return 0;
	}

	/**
	 * SSL bundle to reach the data nodes (master and replicas) with, and the sentinels unless
	 * {@link #getSentinelSslBundle()} says otherwise; {@code null} for plain connections.
	 * @return the SSL bundle, or {@code null}
	 */
	default @Nullable SslBundle getSslBundle() {
		return null;
	}

	/**
	 * SSL bundle to reach the sentinels with; {@code null} for plain connections. By default the data nodes'
	 * {@link #getSslBundle() bundle}: override it when the sentinels differ (plain sentinels in front of TLS data
	 * nodes, or another CA).
	 * @return the SSL bundle, or {@code null}
	 */
	default @Nullable SslBundle getSentinelSslBundle() {
		return getSslBundle();
	}

	/**
	 * Sentinel configuration.
	 */
	interface Sentinel {

		/**
		 * Name the sentinels monitor the master under.
		 * @return the master name
		 */
		String getMaster();

		/**
		 * Sentinels to ask for the master, in order.
		 * @return the sentinels
		 */
		List<NodeAddress> getNodes();

		/**
		 * Login username of the sentinels.
		 * @return the username, or {@code null}
		 */
		default @Nullable String getUsername() {
			return null;
		}

		/**
		 * Login password of the sentinels.
		 * @return the password, or {@code null}
		 */
		default @Nullable String getPassword() {
			return null;
		}

		/**
		 * How the addresses the sentinels announce map to addresses this application can reach (Docker, NAT).
		 * @return the address map; {@link AddressMap#NONE} to use every address as announced
		 */
		default AddressMap getAddressMap() {
			return AddressMap.NONE;
		}

		/**
		 * Create a sentinel configuration.
		 * @param master the master name
		 * @param nodes the sentinels
		 * @param username the sentinels' username, or {@code null}
		 * @param password the sentinels' password, or {@code null}
		 * @return the sentinel configuration
		 */
		static Sentinel of(String master, List<NodeAddress> nodes, @Nullable String username,
				@Nullable String password) {
			return of(master, nodes, username, password, AddressMap.NONE);
		}

		/**
		 * Create a sentinel configuration.
		 * @param master the master name
		 * @param nodes the sentinels
		 * @param username the sentinels' username, or {@code null}
		 * @param password the sentinels' password, or {@code null}
		 * @param addressMap how announced addresses map to reachable ones
		 * @return the sentinel configuration
		 */
		static Sentinel of(String master, List<NodeAddress> nodes, @Nullable String username,
				@Nullable String password, AddressMap addressMap) {
			List<NodeAddress> copy = List.copyOf(nodes);
			return new Sentinel() {

				@Override
				public String getMaster() {
					return master;
				}

				@Override
				public List<NodeAddress> getNodes() {
					return copy;
				}

				@Override
				public @Nullable String getUsername() {
					return username;
				}

				@Override
				public @Nullable String getPassword() {
					return password;
				}

				@Override
				public AddressMap getAddressMap() {
					return addressMap;
				}

			};
		}

	}

}
