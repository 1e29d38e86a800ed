package dev.haredis.autoconfigure.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * Adapts {@link HaRedisProperties} to {@link HaRedisConnectionDetails}, falling back to Spring Boot's
 * {@code spring.data.redis.sentinel.*} when no {@code ha.redis} sentinel is configured. Everything is validated
 * here, before any connection is made, and a mistake is reported with the property that holds it.
 */
final class PropertiesHaRedisConnectionDetails implements HaRedisConnectionDetails {

	private static final String URL_EXAMPLES = "Use 'redis-sentinel://host1:26379,host2:26379/0#mymaster' or the "
			+ "Celery form 'sentinel://host1:26379/0;sentinel://host2:26379/0' with ha.redis.sentinel.master";

	private final Sentinel sentinel;

	private final @Nullable String username;

	private final @Nullable String password;

	private final int database;

	private final @Nullable SslBundle sslBundle;

	private final @Nullable SslBundle sentinelSslBundle;

	PropertiesHaRedisConnectionDetails(HaRedisProperties properties, DataRedisProperties bootProperties,
			@Nullable DataRedisConnectionDetails bootDetails, @Nullable SslBundles sslBundles) {
		if (bootProperties.getCluster() != null) {
			throw new HaRedisConfigurationException("spring.data.redis.cluster",
					"a Redis Cluster is configured as well as the ha.redis Sentinel topology",
					"Remove spring.data.redis.cluster.* to use Sentinel, or remove ha.redis.url, ha.redis.sentinel.* "
							+ "and spring.data.redis.sentinel.* to use the cluster; an application talks to one "
							+ "topology");
		}
		if (configuresSentinel(properties)) {
			SentinelUrl url = parseUrl(properties);
			List<NodeAddress> nodes = (url != null) ? url.nodes() : parseNodes(properties.getSentinel().getNodes());
			HaRedisProperties.Sentinel sentinelProperties = properties.getSentinel();
			this.sentinel = Sentinel.of(master(properties, url), nodes, sentinelProperties.getUsername(),
					sentinelProperties.getPassword(), addressMap(sentinelProperties.getAddressMap()));
			this.username = agree("ha.redis.username", properties.getUsername(), (url != null) ? url.username() : null,
					false);
			this.password = agree("ha.redis.password", properties.getPassword(), (url != null) ? url.password() : null,
					true);
			requirePassword("ha.redis.username", this.username, this.password,
					"set ha.redis.password, or the password in ha.redis.url");
			this.database = database(properties, url);
			this.sslBundle = sslBundle(properties, url != null && url.ssl(), sslBundles);
			this.sentinelSslBundle = sentinelSslBundle(properties, this.sslBundle, sslBundles);
		}
		else if (bootDetails != null && bootDetails.getSentinel() != null) {
			DataRedisConnectionDetails.Sentinel boot = bootDetails.getSentinel();
			List<NodeAddress> nodes = boot.getNodes().stream().map((node) -> new NodeAddress(node.host(), node.port()))
				.toList();
			this.sentinel = Sentinel.of(boot.getMaster(), nodes, boot.getUsername(), boot.getPassword(),
					addressMap(properties.getSentinel().getAddressMap()));
			this.username = bootDetails.getUsername();
			this.password = bootDetails.getPassword();
			requirePassword("spring.data.redis.username", this.username, this.password,
					"set spring.data.redis.password too");
			requirePassword("spring.data.redis.sentinel.username", boot.getUsername(), boot.getPassword(),
					"set spring.data.redis.sentinel.password too");
			this.database = boot.getDatabase();
			this.sslBundle = bootDetails.getSslBundle();
			this.sentinelSslBundle = sentinelSslBundle(properties, this.sslBundle, sslBundles);
		}
		else {
			throw new HaRedisConfigurationException("ha.redis.sentinel.nodes", "no sentinels are configured",
					"Set ha.redis.sentinel.master and ha.redis.sentinel.nodes (host:port, ...), or ha.redis.url");
		}
	}

	/**
	 * Refuse a username without a password: Lettuce would drop it and log in as 'default'.
	 */
	static void requirePassword(String property, @Nullable String username, @Nullable String password,
			String action) {
		if (StringUtils.hasText(username) && !StringUtils.hasText(password)) {
			throw new HaRedisConfigurationException(property, property + " is set without a password, so it would "
					+ "not be used (the connection would log in as 'default')", action + ", or remove the username");
		}
	}

	static boolean configuresSentinel(HaRedisProperties properties) {
		return StringUtils.hasText(properties.getUrl()) || !properties.getSentinel().getNodes().isEmpty()
				|| StringUtils.hasText(properties.getSentinel().getMaster());
	}

	private static @Nullable SentinelUrl parseUrl(HaRedisProperties properties) {
		String url = properties.getUrl();
		if (!StringUtils.hasText(url)) {
			return null;
		}
		if (!properties.getSentinel().getNodes().isEmpty()) {
			throw new HaRedisConfigurationException("ha.redis.url",
					"both ha.redis.url and ha.redis.sentinel.nodes list sentinels",
					"Keep one of them: the URL or the list of nodes");
		}
		try {
			return SentinelUrl.parse(url);
		}
		catch (IllegalArgumentException ex) {
			throw new HaRedisConfigurationException("ha.redis.url", ex.getMessage(), URL_EXAMPLES);
		}
	}

	private static List<NodeAddress> parseNodes(List<String> nodes) {
		List<NodeAddress> parsed = new ArrayList<>();
		for (int i = 0; i < nodes.size(); i++) {
			if (nodes.get(i).contains("@")) {
				// user info in a node: never echo it, it may hold a password
				throw new HaRedisConfigurationException("ha.redis.sentinel.nodes[" + i + "]",
						"holds user info ('...@'), which a node list does not take",
						"List the sentinel as host:port and set its credentials in ha.redis.sentinel.username and "
								+ "ha.redis.sentinel.password (the data nodes' in ha.redis.username and "
								+ "ha.redis.password)");
			}
			try {
				parsed.add(NodeAddress.parse(nodes.get(i), NodeAddress.DEFAULT_SENTINEL_PORT));
			}
			catch (IllegalArgumentException ex) {
				throw new HaRedisConfigurationException("ha.redis.sentinel.nodes[" + i + "]", ex.getMessage(),
						"List each sentinel as host:port, for example 10.0.0.5:26379 or [2001:db8::5]:26379");
			}
		}
		if (parsed.isEmpty()) {
			throw new HaRedisConfigurationException("ha.redis.sentinel.nodes", "no sentinels are listed",
					"List the sentinels as host:port, for example "
							+ "ha.redis.sentinel.nodes=sentinel-a:26379,sentinel-b:26379,sentinel-c:26379, "
							+ "or set ha.redis.url");
		}
		return parsed;
	}

	/**
	 * Build the address map; its entries were checked when the properties were bound.
	 */
	private static AddressMap addressMap(Map<String, String> entries) {
		AddressMap.Builder builder = AddressMap.builder();
		entries.forEach(builder::entry);
		return builder.build();
	}

	private static String master(HaRedisProperties properties, @Nullable SentinelUrl url) {
		String master = agree("ha.redis.sentinel.master", properties.getSentinel().getMaster(),
				(url != null) ? url.master() : null, false);
		if (!StringUtils.hasText(master)) {
			throw new HaRedisConfigurationException("ha.redis.sentinel.master", "no master name is set",
					"Set it to the name in the sentinels' 'sentinel monitor <name> <host> <port> <quorum>' line "
							+ "(Celery calls it the 'master_name' transport option)");
		}
		return master;
	}

	private static int database(HaRedisProperties properties, @Nullable SentinelUrl url) {
		Integer database = agree("ha.redis.database", properties.getDatabase(), (url != null) ? url.database() : null,
				false);
		// a negative ha.redis.database was refused when the properties were bound, and the URL only has digits
		return (database != null) ? database : 0;
	}

	static @Nullable SslBundle sslBundle(HaRedisProperties properties, boolean urlUsesSsl,
			@Nullable SslBundles sslBundles) {
		HaRedisProperties.Ssl ssl = properties.getSsl();
		String bundle = ssl.getBundle();
		if (StringUtils.hasText(bundle)) {
			return bundle("ha.redis.ssl.bundle", bundle, sslBundles);
		}
		return (ssl.isEnabled() || urlUsesSsl) ? SslBundle.systemDefault() : null;
	}

	/**
	 * The sentinels' TLS: their own when ha.redis.sentinel.ssl.* is set, else the data nodes'. Each property falls
	 * back on its own: enabled alone takes the data nodes' bundle (or the JVM's trust store).
	 */
	private static @Nullable SslBundle sentinelSslBundle(HaRedisProperties properties,
			@Nullable SslBundle dataBundle, @Nullable SslBundles sslBundles) {
		HaRedisProperties.SentinelSsl ssl = properties.getSentinel().getSsl();
		String bundle = ssl.getBundle();
		boolean enabled = (ssl.getEnabled() != null) ? ssl.getEnabled()
				: StringUtils.hasText(bundle) || dataBundle != null;
		if (!enabled) {
			return null;
		}
		if (StringUtils.hasText(bundle)) {
			return bundle("ha.redis.sentinel.ssl.bundle", bundle, sslBundles);
		}
		return (dataBundle != null) ? dataBundle : SslBundle.systemDefault();
	}

	private static SslBundle bundle(String property, String name, @Nullable SslBundles sslBundles) {
		try {
			if (sslBundles == null) {
				throw new NoSuchSslBundleException(name, "no SSL bundles are configured");
			}
			return sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new HaRedisConfigurationException(property, "there is no SSL bundle named '" + name + "'",
					"Define it under spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name
							+ ", or correct the name");
		}
	}

	/**
	 * Return whichever of the property and the URL's value is set; they may not disagree.
	 */
	private static <T> @Nullable T agree(String property, @Nullable T fromProperty, @Nullable T fromUrl,
			boolean secret) {
		if (fromProperty != null && fromUrl != null && !Objects.equals(fromProperty, fromUrl)) {
			String values = secret ? "" : " ('" + fromProperty + "' and '" + fromUrl + "')";
			throw new HaRedisConfigurationException(property,
					"differs from the value in ha.redis.url" + values,
					"Set it in one place only: in the URL or in " + property);
		}
		return (fromProperty != null) ? fromProperty : fromUrl;
	}

	@Override
	public Sentinel getSentinel() {
		return this.sentinel;
	}

	@Override
	public @Nullable String getUsername() {
		return this.username;
	}

	@Override
	public @Nullable String getPassword() {
		return this.password;
	}

	@Override
	public int getDatabase() {
		return this.database;
	}

	@Override
	public @Nullable SslBundle getSslBundle() {
		return this.sslBundle;
	}

	@Override
	public @Nullable SslBundle getSentinelSslBundle() {
		return this.sentinelSslBundle;
	}

}
