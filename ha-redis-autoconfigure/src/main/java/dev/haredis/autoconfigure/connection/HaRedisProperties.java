package dev.haredis.autoconfigure.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import dev.haredis.autoconfigure.internal.PropertyChecks;
import dev.haredis.topology.AddressMap;

/**
 * Configuration properties for a Redis master and replicas watched by Sentinel. Values are checked when they are
 * bound ({@link #validate}), so a wrong one stops the startup with a report that names it.
 */
@ConfigurationProperties("ha.redis")
public class HaRedisProperties implements Validator {

	/**
	 * Whether to enable the ha-redis auto-configuration.
	 */
	private boolean enabled = true;

	/**
	 * Sentinel URL, instead of 'sentinel.nodes': either
	 * 'redis-sentinel://[user:password@]host1:port1,host2:port2[/database]#master' ('rediss-sentinel://' for TLS)
	 * or the Celery/kombu form 'sentinel://host1:port1/database;sentinel://host2:port2/database'. Credentials in
	 * the URL are those of the data nodes.
	 */
	private @Nullable String url;

	/**
	 * Login username of the data nodes (master and replicas).
	 */
	private @Nullable String username;

	/**
	 * Login password of the data nodes (master and replicas).
	 */
	private @Nullable String password;

	/**
	 * Database index used by the connection factory. Defaults to the URL's database, else 0.
	 */
	private @Nullable Integer database;

	/**
	 * Client name to be set on connections with CLIENT SETNAME.
	 */
	private @Nullable String clientName;

	/**
	 * Connection timeout for data nodes.
	 */
	private Duration connectTimeout = Duration.ofSeconds(2);

	/**
	 * Read timeout of commands. Defaults to Lettuce's 60 seconds, like Spring Boot.
	 */
	private @Nullable Duration timeout;

	/**
	 * Whether to stop the application when no master can be found at startup. When false, the application starts
	 * degraded and looks for the master again on each new connection.
	 */
	private boolean failFast = true;

	private final Sentinel sentinel = new Sentinel();

	private final Topology topology = new Topology();

	private final Socket socket = new Socket();

	private final Durability durability = new Durability();

	private final Ssl ssl = new Ssl();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable Integer getDatabase() {
		return this.database;
	}

	public void setDatabase(@Nullable Integer database) {
		this.database = database;
	}

	public @Nullable String getClientName() {
		return this.clientName;
	}

	public void setClientName(@Nullable String clientName) {
		this.clientName = clientName;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public Sentinel getSentinel() {
		return this.sentinel;
	}

	public Topology getTopology() {
		return this.topology;
	}

	public Socket getSocket() {
		return this.socket;
	}

	public Durability getDurability() {
		return this.durability;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	@Override
	public boolean supports(Class<?> type) {
		return HaRedisProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		HaRedisProperties properties = (HaRedisProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		checks.database("database", properties.getDatabase());
		checks.clientName("client-name", properties.getClientName());
		if (!StringUtils.hasText(properties.getUrl())) {
			// with a URL, the password may be in it: the pair is checked once both are merged
			checks.credentials("username", properties.getUsername(), properties.getPassword(), "ha.redis.password");
		}
		checks.positive("connect-timeout", properties.getConnectTimeout(), "2s");
		checks.positive("timeout", properties.getTimeout(), "5s");
		checks.nested("sentinel", () -> properties.getSentinel().validate(checks));
		checks.nested("topology", () -> properties.getTopology().validate(checks));
		checks.nested("socket", () -> properties.getSocket().validate(checks));
		checks.nested("durability", () -> properties.getDurability().validate(checks));
	}

	/**
	 * Sentinel properties.
	 */
	public static class Sentinel {

		/**
		 * Name the sentinels monitor the master under ('sentinel monitor <name> ...' in sentinel.conf).
		 */
		private @Nullable String master;

		/**
		 * Sentinels, as 'host:port' ('[ipv6]:port'; the port defaults to 26379). List at least three, in separate
		 * failure zones.
		 */
		private List<String> nodes = new ArrayList<>();

		/**
		 * Login username of the sentinels, when they require their own (ACL) authentication.
		 */
		private @Nullable String username;

		/**
		 * Login password of the sentinels ('requirepass' in sentinel.conf), separate from the data nodes'.
		 */
		private @Nullable String password;

		/**
		 * How long to wait for each sentinel query and for each role check of the master it names.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		/**
		 * Addresses the sentinels announce mapped to addresses this application can reach, for servers behind
		 * Docker port mapping or NAT: 'host:port' to 'host:port', or a host to a host for every port. Applied to
		 * every address the sentinels and servers announce. Keys need brackets, and in .properties files the colon
		 * an escape: "[172.18.0.2:6379]": redis.example.com:16379 in YAML,
		 * ha.redis.sentinel.address-map[172.18.0.2\:6379]=redis.example.com:16379 in properties.
		 */
		private Map<String, String> addressMap = new LinkedHashMap<>();

		/**
		 * How many sentinels learned from the others (announced, not listed in 'nodes') to follow at most, further
		 * ones being ignored.
		 */
		private int maxLearned = 16;

		private final SentinelSsl ssl = new SentinelSsl();

		public @Nullable String getMaster() {
			return this.master;
		}

		public void setMaster(@Nullable String master) {
			this.master = master;
		}

		public List<String> getNodes() {
			return this.nodes;
		}

		public void setNodes(List<String> nodes) {
			this.nodes = nodes;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public Map<String, String> getAddressMap() {
			return this.addressMap;
		}

		public void setAddressMap(Map<String, String> addressMap) {
			this.addressMap = addressMap;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getMaxLearned() {
			return this.maxLearned;
		}

		public void setMaxLearned(int maxLearned) {
			this.maxLearned = maxLearned;
		}

		void validate(PropertyChecks checks) {
			checks.credentials("username", this.username, this.password, "ha.redis.sentinel.password");
			checks.positive("timeout", this.timeout, "1s");
			if (Boolean.FALSE.equals(this.ssl.getEnabled()) && this.ssl.getBundle() != null) {
				checks.reject("ssl.enabled", "is false while ha.redis.sentinel.ssl.bundle is set, which would be "
						+ "ignored: remove the bundle for plain sentinels, or this switch for TLS to them");
			}
			checks.atLeast("max-learned", this.maxLearned, 0,
					"sentinels learned from the others that are followed; 0 follows only the listed ones");
			checkAddressMap(checks, this.addressMap);
		}

		public SentinelSsl getSsl() {
			return this.ssl;
		}

	}

	/**
	 * TLS towards the sentinels, for deployments where it differs from the data nodes' (plain sentinels on a private
	 * network in front of TLS data nodes, or another CA). While neither property is set, the sentinels follow
	 * ha.redis.ssl.* and the URL's 'rediss-sentinel://', as the data nodes do.
	 */
	public static class SentinelSsl {

		/**
		 * Whether to reach the sentinels over TLS. When unset, the sentinels use TLS exactly when the data nodes do
		 * (ha.redis.ssl.*, 'rediss-sentinel://'), or when ha.redis.sentinel.ssl.bundle is set; false for plain
		 * sentinels in front of TLS data nodes.
		 */
		private @Nullable Boolean enabled;

		/**
		 * SSL bundle name (spring.ssl.bundle.*) with the trust material and, for mutual TLS, the key material for
		 * the sentinels; setting it turns TLS to the sentinels on. Defaults to ha.redis.ssl.bundle, else the JVM's
		 * default trust store.
		 */
		private @Nullable String bundle;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Check each entry of an address map ({@code address-map}).
	 * @param checks where to report
	 * @param addressMap the entries
	 */
	static void checkAddressMap(PropertyChecks checks, Map<String, String> addressMap) {
		addressMap.forEach((announced, reachable) -> {
			try {
				AddressMap.builder().entry(announced, reachable);
			}
			catch (IllegalArgumentException ex) {
				checks.reject("address-map[" + announced + "]", ex.getMessage() + ". Map an announced address to "
						+ "a reachable one, host:port to host:port (in YAML with brackets: \"[172.18.0.2:6379]\": "
						+ "\"redis.example.com:16379\"), or a host to a host for every port");
			}
		});
	}

	/**
	 * Topology monitoring properties.
	 */
	public static class Topology {

		/**
		 * Whether to follow the sentinels (their events and a periodic check) and move connections to a new master
		 * as soon as they switch. When false, each new connection asks the sentinels instead.
		 */
		private boolean monitor = true;

		/**
		 * How often to ask the sentinels about the master and verify it with ROLE, as a backup to their events.
		 */
		private Duration refreshInterval = Duration.ofSeconds(1);

		/**
		 * How many recent sentinel events to keep for the health details.
		 */
		private int eventHistory = 50;

		/**
		 * How long new writes wait at most, once a sentinel announces the replica it promotes (+selected-slave),
		 * for that replica to answer as master, instead of going to the master it replaces, which would lose them.
		 * 0 keeps writing to the old master until the switch.
		 */
		private Duration promotionHold = Duration.ofSeconds(1);

		public boolean isMonitor() {
			return this.monitor;
		}

		public void setMonitor(boolean monitor) {
			this.monitor = monitor;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public int getEventHistory() {
			return this.eventHistory;
		}

		public void setEventHistory(int eventHistory) {
			this.eventHistory = eventHistory;
		}

		public Duration getPromotionHold() {
			return this.promotionHold;
		}

		public void setPromotionHold(Duration promotionHold) {
			this.promotionHold = promotionHold;
		}

		void validate(PropertyChecks checks) {
			checks.positive("refresh-interval", this.refreshInterval, "1s");
			checks.notNegative("promotion-hold", this.promotionHold, "writes to the old master until the switch");
			checks.atLeast("event-history", this.eventHistory, 0,
					"how many recent sentinel events to keep; 0 keeps none");
		}

	}

	/**
	 * Socket properties, to notice a dead or unreachable server without waiting for a command timeout.
	 */
	public static class Socket {

		/**
		 * Whether to send TCP keep-alive probes on idle connections.
		 */
		private boolean keepAlive = true;

		/**
		 * Idle time before the first keep-alive probe.
		 */
		private Duration keepAliveIdle = Duration.ofSeconds(5);

		/**
		 * Time between keep-alive probes.
		 */
		private Duration keepAliveInterval = Duration.ofSeconds(1);

		/**
		 * Unanswered keep-alive probes after which the connection is closed.
		 */
		private int keepAliveCount = 3;

		/**
		 * TCP_USER_TIMEOUT: how long sent data may stay unacknowledged before the connection is closed. Needs
		 * Netty's native epoll or io_uring transport on the class path; ignored without it.
		 */
		private Duration tcpUserTimeout = Duration.ofSeconds(5);

		public boolean isKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(boolean keepAlive) {
			this.keepAlive = keepAlive;
		}

		public Duration getKeepAliveIdle() {
			return this.keepAliveIdle;
		}

		public void setKeepAliveIdle(Duration keepAliveIdle) {
			this.keepAliveIdle = keepAliveIdle;
		}

		public Duration getKeepAliveInterval() {
			return this.keepAliveInterval;
		}

		public void setKeepAliveInterval(Duration keepAliveInterval) {
			this.keepAliveInterval = keepAliveInterval;
		}

		public int getKeepAliveCount() {
			return this.keepAliveCount;
		}

		public void setKeepAliveCount(int keepAliveCount) {
			this.keepAliveCount = keepAliveCount;
		}

		public Duration getTcpUserTimeout() {
			return this.tcpUserTimeout;
		}

		public void setTcpUserTimeout(Duration tcpUserTimeout) {
			this.tcpUserTimeout = tcpUserTimeout;
		}

		void validate(PropertyChecks checks) {
			// TCP keep-alive times are whole seconds in the kernel: less would be 0, which it refuses.
			checks.atLeast("keep-alive-idle", this.keepAliveIdle, Duration.ofSeconds(1),
					"the kernel counts it in whole seconds");
			checks.atLeast("keep-alive-interval", this.keepAliveInterval, Duration.ofSeconds(1),
					"the kernel counts it in whole seconds");
			checks.atLeast("keep-alive-count", this.keepAliveCount, 1,
					"unanswered probes before the connection is closed");
			checks.notNegative("tcp-user-timeout", this.tcpUserTimeout, "leaves the system's default");
		}

	}

	/**
	 * Durable-write guard properties (the DurableWrites bean).
	 */
	public static class Durability {

		/**
		 * How many replicas must acknowledge a durable write (WAIT) before it counts as done.
		 */
		private int minReplicas = 1;

		/**
		 * How long a durable write waits for the replicas before failing with WriteNotReplicatedException.
		 */
		private Duration timeout = Duration.ofSeconds(1);

		/**
		 * Dedicated connections for durable writes (WAIT blocks the connection it runs on).
		 */
		private int poolSize = 8;

		public int getMinReplicas() {
			return this.minReplicas;
		}

		public void setMinReplicas(int minReplicas) {
			this.minReplicas = minReplicas;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(int poolSize) {
			this.poolSize = poolSize;
		}

		void validate(PropertyChecks checks) {
			checks.atLeast("min-replicas", this.minReplicas, 0,
					"replicas that must have a durable write; 0 waits for none");
			// WAIT takes whole milliseconds, and WAIT n 0 blocks for ever.
			checks.atLeast("timeout", this.timeout, Duration.ofMillis(1), "WAIT counts whole milliseconds and 0 would "
					+ "block for ever");
			checks.atLeast("pool-size", this.poolSize, 1, "dedicated connections for durable writes");
		}

	}

	/**
	 * SSL properties of the data nodes, and of the sentinels unless ha.redis.sentinel.ssl.* is set.
	 */
	public static class Ssl {

		/**
		 * Whether to reach the data nodes over TLS, and the sentinels too unless ha.redis.sentinel.ssl.* says
		 * otherwise. Enabled automatically when a bundle is set or the URL uses 'rediss-sentinel://'.
		 */
		private boolean enabled;

		/**
		 * SSL bundle name (spring.ssl.bundle.*) with the trust material and, for mutual TLS, the key material of the
		 * data nodes, and of the sentinels unless ha.redis.sentinel.ssl.bundle is set.
		 */
		private @Nullable String bundle;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

}
