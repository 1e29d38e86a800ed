package dev.haredis.autoconfigure.connection;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * Where and how to reach a Redis Cluster: a {@link HaRedisClusterConnectionDetails} bean, else
 * {@code ha.redis.cluster.*} with the data nodes' {@code ha.redis.*} credentials and TLS, else Spring Boot's
 * {@code spring.data.redis.cluster.*} taken over unchanged. Checked
 * before any connection is made; a mistake is reported with the property that holds it.
 *
 * @param seeds the seed nodes
 * @param maxRedirects the most redirections a command follows, or {@code null} for Lettuce's default
 * @param username the data nodes' username
 * @param password the data nodes' password
 * @param sslBundle the data nodes' TLS, or {@code null} for plain text
 * @param addressMap maps the addresses the nodes announce to reachable ones
 */
record ClusterConnectionSettings(List<NodeAddress> seeds, @Nullable Integer maxRedirects, @Nullable String username,
		@Nullable String password, @Nullable SslBundle sslBundle, AddressMap addressMap) {

	/** The port Redis listens on unless told otherwise. */
	private static final int DEFAULT_PORT = 6379;

	/** The purposes, each of which may set a database of its own. */
	private static final List<String> PURPOSES = List.of("cache", "session", "messaging", "queue");

	private static final String PREFIX_INSTEAD = "Redis Cluster has database 0 only: remove it and keep purposes "
			+ "apart with their key prefixes (ha.redis.<purpose>.key-prefix)";

	static ClusterConnectionSettings of(HaRedisProperties properties, HaRedisClusterProperties cluster,
			DataRedisProperties bootProperties, @Nullable DataRedisConnectionDetails bootDetails,
			@Nullable SslBundles sslBundles, Environment environment, List<AddressMapCustomizer> customizers,
			@Nullable HaRedisClusterConnectionDetails details) {
		AddressMap.Builder addresses = (details != null) ? details.getAddressMap().toBuilder() : AddressMap.builder();
		cluster.getAddressMap().forEach(addresses::entry);
		customizers.forEach((customizer) -> customizer.customize(addresses));
		AddressMap addressMap = addresses.build();
		refuseDatabases(properties, bootProperties, environment);
		Integer maxRedirects = (cluster.getMaxRedirects() != null) ? cluster.getMaxRedirects()
				: (bootProperties.getCluster() != null) ? bootProperties.getCluster().getMaxRedirects() : null;
		if (details != null) {
			PropertiesHaRedisConnectionDetails.requirePassword("HaRedisClusterConnectionDetails.username",
					details.getUsername(), details.getPassword(), "give a password too");
			return new ClusterConnectionSettings(List.copyOf(details.getNodes()), maxRedirects, details.getUsername(),
					details.getPassword(), details.getSslBundle(), addressMap);
		}
		if (!cluster.getNodes().isEmpty()) {
			PropertiesHaRedisConnectionDetails.requirePassword("ha.redis.username", properties.getUsername(),
					properties.getPassword(), "set ha.redis.password");
			return new ClusterConnectionSettings(parseNodes(cluster.getNodes()), maxRedirects,
					properties.getUsername(), properties.getPassword(),
					PropertiesHaRedisConnectionDetails.sslBundle(properties, false, sslBundles), addressMap);
		}
		if (bootDetails != null && bootDetails.getCluster() != null) {
			List<NodeAddress> seeds = bootDetails.getCluster()
				.getNodes()
				.stream()
				.map((node) -> new NodeAddress(node.host(), node.port()))
				.toList();
			PropertiesHaRedisConnectionDetails.requirePassword("spring.data.redis.username",
					bootDetails.getUsername(), bootDetails.getPassword(), "set spring.data.redis.password too");
			return new ClusterConnectionSettings(seeds, maxRedirects, bootDetails.getUsername(),
					bootDetails.getPassword(), bootDetails.getSslBundle(), addressMap);
		}
		throw new HaRedisConfigurationException("ha.redis.cluster.nodes", "no cluster nodes are configured",
				"List some of the cluster's nodes as host:port in ha.redis.cluster.nodes");
	}

	/**
	 * Refuse a cluster configured beside a Sentinel topology: an application talks to one topology.
	 * @param environment the environment
	 * @param clusterDetailsBean whether a {@link HaRedisClusterConnectionDetails} bean is defined
	 */
	static void refuseBesideSentinel(Environment environment, boolean clusterDetailsBean) {
		if (clusterDetailsBean) {
			throw new HaRedisConfigurationException("HaRedisClusterConnectionDetails",
					"a Redis Cluster is given (a HaRedisClusterConnectionDetails bean, for example from "
							+ "@ServiceConnection) as well as a Sentinel topology",
					"Remove ha.redis.url, ha.redis.sentinel.* and spring.data.redis.sentinel.* to use the cluster, or "
							+ "the cluster's connection details to use Sentinel; an application talks to one topology");
		}
		// spring.data.redis.cluster.* is refused with the Sentinel details, as the other Boot settings are.
		String property = "ha.redis.cluster.nodes";
		if (namesNodes(Binder.get(environment), property)) {
			throw new HaRedisConfigurationException(property,
					"a Redis Cluster is configured as well as a Sentinel topology",
					"Remove ha.redis.cluster.* to use Sentinel, or remove ha.redis.url, ha.redis.sentinel.* and "
							+ "spring.data.redis.sentinel.* to use the cluster; an application talks to one topology");
		}
	}

	/**
	 * Whether a node list property is set and not empty.
	 * @param binder the binder of the environment
	 * @param property the property, {@code ha.redis.cluster.nodes} or Spring Boot's
	 * @return whether it names nodes
	 */
	static boolean namesNodes(Binder binder, String property) {
		return binder.bind(property, Bindable.listOf(String.class)).map((nodes) -> !nodes.isEmpty()).orElse(false);
	}

	private static void refuseDatabases(HaRedisProperties properties, DataRedisProperties bootProperties,
			Environment environment) {
		if (properties.getDatabase() != null && properties.getDatabase() != 0) {
			throw new HaRedisConfigurationException("ha.redis.database",
					"is " + properties.getDatabase() + " but the topology is a Redis Cluster", PREFIX_INSTEAD);
		}
		if (properties.getDatabase() == null && bootProperties.getDatabase() != 0) {
			throw new HaRedisConfigurationException("spring.data.redis.database",
					"is " + bootProperties.getDatabase() + " but the topology is a Redis Cluster", PREFIX_INSTEAD);
		}
		Binder binder = Binder.get(environment);
		for (String purpose : PURPOSES) {
			String property = "ha.redis." + purpose + ".database";
			Integer database = binder.bind(property, Integer.class).orElse(null);
			if (database != null && database != 0) {
				throw new HaRedisConfigurationException(property,
						"is " + database + " but the topology is a Redis Cluster", PREFIX_INSTEAD);
			}
		}
	}

	private static List<NodeAddress> parseNodes(List<String> nodes) {
		List<NodeAddress> parsed = new ArrayList<>();
		for (int i = 0; i < nodes.size(); i++) {
			String property = "ha.redis.cluster.nodes[" + i + "]";
			if (nodes.get(i).contains("@")) {
				// user info in a node: never echo it, it may hold a password
				throw new HaRedisConfigurationException(property, "holds user info ('...@'), which a node list does "
						+ "not take", "List the node as host:port and set the credentials in ha.redis.username and "
								+ "ha.redis.password");
			}
			try {
				parsed.add(NodeAddress.parse(nodes.get(i), DEFAULT_PORT));
			}
			catch (IllegalArgumentException ex) {
				throw new HaRedisConfigurationException(property, ex.getMessage(),
						"List each node as host:port, for example 10.0.0.5:6379 or [2001:db8::5]:6379");
			}
		}
		return parsed;
	}

}
