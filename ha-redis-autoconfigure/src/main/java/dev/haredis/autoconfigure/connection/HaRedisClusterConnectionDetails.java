package dev.haredis.autoconfigure.connection;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * How to reach a Redis Cluster, given in code instead of {@code ha.redis.cluster.*} (and switching the cluster
 * support on by itself), as Spring Boot's {@code DataRedisConnectionDetails} replaces its properties; for example
 * from {@code @ServiceConnection} on a {@code RedisClusterContainer}. Client settings (timeouts, intervals) still
 * come from the properties.
 */
@FunctionalInterface
public interface HaRedisClusterConnectionDetails extends ConnectionDetails {

	/**
	 * Return the seed nodes, as this application reaches them.
	 * @return the seed nodes
	 */
	List<NodeAddress> getNodes();

	/**
	 * Return the data nodes' username.
	 * @return the username, or {@code null}
	 */
	default @Nullable String getUsername() {
		return null;
	}

	/**
	 * Return the data nodes' password.
	 * @return the password, or {@code null}
	 */
	default @Nullable String getPassword() {
		return null;
	}

	/**
	 * Return the map from the addresses the nodes announce to those this application reaches.
	 * @return the address map
	 */
	default AddressMap getAddressMap() {
		return AddressMap.NONE;
	}

	/**
	 * Return the data nodes' TLS.
	 * @return the SSL bundle, or {@code null} for plain text
	 */
	default @Nullable SslBundle getSslBundle() {
		return null;
	}

}
