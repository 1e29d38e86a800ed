package dev.haredis.autoconfigure.connection;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.haredis.autoconfigure.internal.PropertyChecks;

/**
 * Spring Boot's {@code spring.data.redis.*} settings as ha-redis applies them once its connection factories replace
 * Boot's: every setting Boot would apply to its own factory is either carried over (command and connect timeouts,
 * client name, Lettuce shutdown timeout and pool, virtual threads) or refused at startup with the {@code ha.redis}
 * property to set instead. A setting given both ways with different values is refused too.
 */
final class BootRedisSettings {

	private static final boolean COMMONS_POOL2_AVAILABLE = ClassUtils.isPresent("org.apache.commons.pool2.ObjectPool",
			BootRedisSettings.class.getClassLoader());

	private static final String BOOT = "spring.data.redis.";

	private final @Nullable Duration timeout;

	private final Duration connectTimeout;

	private final @Nullable String clientName;

	private final Duration shutdownTimeout;

	private final DataRedisProperties.@Nullable Pool pool;

	private final boolean virtualThreads;

	private BootRedisSettings(@Nullable Duration timeout, Duration connectTimeout, @Nullable String clientName,
			Duration shutdownTimeout, DataRedisProperties.@Nullable Pool pool, boolean virtualThreads) {
		this.timeout = timeout;
		this.connectTimeout = connectTimeout;
		this.clientName = clientName;
		this.shutdownTimeout = shutdownTimeout;
		this.pool = pool;
		this.virtualThreads = virtualThreads;
	}

	/**
	 * Merge Boot's client settings into ha-redis's, refusing those ha-redis cannot honour.
	 * @param properties the {@code ha.redis} properties
	 * @param boot Spring Boot's {@code spring.data.redis} properties
	 * @param environment the environment, to tell a property that is set from one left at its default
	 * @return the settings every ha-redis connection factory is built with
	 */
	static BootRedisSettings of(HaRedisProperties properties, DataRedisProperties boot, Environment environment) {
		Binder binder = Binder.get(environment);
		refuseUnsupportedClient(boot);
		if (boot.getMasterreplica() != null) {
			throw new HaRedisConfigurationException(BOOT + "masterreplica.nodes",
					"spring.data.redis.masterreplica.nodes configures a static master/replica set as well as the "
							+ "ha.redis Sentinel topology",
					"Remove spring.data.redis.masterreplica.*: ha-redis finds the master through the sentinels, "
							+ "or set ha.redis.enabled=false to use Spring Boot's static master/replica support");
		}
		Duration timeout = merge("timeout", properties.getTimeout(), boot.getTimeout());
		Duration connectTimeout = isSet(binder, "ha.redis.connect-timeout")
				? merge("connect-timeout", properties.getConnectTimeout(), boot.getConnectTimeout())
				: Objects.requireNonNullElse(boot.getConnectTimeout(), properties.getConnectTimeout());
		String clientName = merge("client-name", StringUtils.hasText(properties.getClientName())
				? properties.getClientName() : null, StringUtils.hasText(boot.getClientName()) ? boot.getClientName() : null);
		refuseInvalidCarriedOver(binder, timeout, connectTimeout, clientName);
		DataRedisProperties.Pool pool = boot.getLettuce().getPool();
		return new BootRedisSettings(timeout, connectTimeout, clientName, boot.getLettuce().getShutdownTimeout(),
				poolEnabled(pool) ? pool : null, Threading.VIRTUAL.isActive(environment));
	}

	/**
	 * Refuse Boot's connection settings (server, credentials, database, TLS) when the {@code ha.redis} properties
	 * configure the connection, unless they say the same: ha-redis takes them from Boot only when no
	 * {@code ha.redis} sentinel is configured.
	 * @param details the connection details built from the {@code ha.redis} properties
	 * @param properties the {@code ha.redis} properties
	 * @param boot Spring Boot's {@code spring.data.redis} properties
	 * @param environment the environment, to tell a property that is set from one left at its default
	 */
	static void refuseConnectionSettings(HaRedisConnectionDetails details, HaRedisProperties properties,
			DataRedisProperties boot, Environment environment) {
		Binder binder = Binder.get(environment);
		String sentinels = "ha-redis connects to the master the sentinels name: set ha.redis.sentinel.master and "
				+ "ha.redis.sentinel.nodes (or ha.redis.url) and remove spring.data.redis.";
		if (StringUtils.hasText(boot.getUrl())) {
			throw notUsed("url", "Set ha.redis.url ('redis-sentinel://host1:26379,host2:26379/0#mymaster' or "
					+ "'sentinel://host1:26379/0;sentinel://host2:26379/0') and remove spring.data.redis.url");
		}
		for (String server : new String[] { "host", "port" }) {
			if (isSet(binder, BOOT + server)) {
				throw notUsed(server, sentinels + server);
			}
		}
		if (isSet(binder, BOOT + "database") && boot.getDatabase() != details.getDatabase()) {
			throw differs("database", "ha.redis.database", " (" + boot.getDatabase() + " and "
					+ details.getDatabase() + ")");
		}
		if (boot.getUsername() != null && !boot.getUsername().equals(details.getUsername())) {
			throw differs("username", "ha.redis.username", "");
		}
		if (boot.getPassword() != null && !boot.getPassword().equals(details.getPassword())) {
			throw differs("password", "ha.redis.password", "");
		}
		boolean ssl = boot.getSsl().isEnabled();
		if (isSet(binder, BOOT + "ssl.enabled") && ssl != (details.getSslBundle() != null)) {
			throw differs("ssl.enabled", "ha.redis.ssl.enabled", " (" + ssl + " and " + !ssl + ")");
		}
		String bundle = boot.getSsl().getBundle();
		if (StringUtils.hasText(bundle) && !bundle.equals(properties.getSsl().getBundle())) {
			throw differs("ssl.bundle", "ha.redis.ssl.bundle", "");
		}
	}

	/**
	 * Refuse a value carried over from {@code spring.data.redis.*} that ha-redis would refuse as its own: the
	 * {@code ha.redis} properties are checked when bound, Boot's are not (Lettuce would stop the startup with a bare
	 * exception, or every connection would fail). A value set both ways was checked as the {@code ha.redis} one.
	 */
	private static void refuseInvalidCarriedOver(Binder binder, @Nullable Duration timeout, Duration connectTimeout,
			@Nullable String clientName) {
		if (timeout != null && !isPositive(timeout)) {
			throw invalid(binder, "timeout", "must be longer than 0", "a command timeout longer than 0 (for example 5s)");
		}
		if (!isPositive(connectTimeout)) {
			throw invalid(binder, "connect-timeout", "must be longer than 0",
					"a connection timeout longer than 0 (for example 2s)");
		}
		if (clientName != null && !PropertyChecks.isClientName(clientName)) {
			throw invalid(binder, "client-name", "is not a name Redis accepts in CLIENT SETNAME",
					"a name Redis accepts (" + PropertyChecks.CLIENT_NAME_RULE + ")");
		}
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	private static HaRedisConfigurationException invalid(Binder binder, String name, String problem, String fix) {
		String value = binder.bind(BOOT + name, Bindable.of(String.class)).orElse("");
		return new HaRedisConfigurationException(BOOT + name,
				"spring.data.redis." + name + " ('" + value + "'), which ha-redis carries over as ha.redis." + name
						+ ", " + problem,
				"Set ha.redis." + name + " to " + fix + " and remove spring.data.redis." + name);
	}

	private static void refuseUnsupportedClient(DataRedisProperties boot) {
		if (boot.getClientType() == DataRedisProperties.ClientType.JEDIS) {
			throw notUsed("client-type", "ha-redis works with Lettuce only: remove spring.data.redis.client-type=jedis, "
					+ "or set ha.redis.enabled=false to use Spring Boot's Jedis support");
		}
		String readFrom = boot.getLettuce().getReadFrom();
		if (readFrom != null && !readsFromMaster(readFrom)) {
			throw notUsed("lettuce.read-from", "ha-redis reads from and writes to the master the sentinels name, "
					+ "never a replica (a replica may lag, and reads would bypass the checked master): remove "
					+ "spring.data.redis.lettuce.read-from");
		}
		Boolean poolEnabled = boot.getLettuce().getPool().getEnabled();
		if (Boolean.TRUE.equals(poolEnabled) && !COMMONS_POOL2_AVAILABLE) {
			throw new HaRedisConfigurationException(BOOT + "lettuce.pool.enabled", "commons-pool2 is not on the class path",
					"Add org.apache.commons:commons-pool2, or remove spring.data.redis.lettuce.pool.enabled");
		}
	}

	private static boolean readsFromMaster(String readFrom) {
		String name = readFrom.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
		return name.equals("master") || name.equals("upstream");
	}

	private static boolean poolEnabled(DataRedisProperties.Pool pool) {
		return (pool.getEnabled() != null) ? pool.getEnabled() : COMMONS_POOL2_AVAILABLE;
	}

	/**
	 * Return whichever of the ha-redis and the Boot value is set; they may not disagree.
	 */
	private static <T> @Nullable T merge(String name, @Nullable T haRedis, @Nullable T boot) {
		if (haRedis != null && boot != null && !haRedis.equals(boot)) {
			throw differs(name, "ha.redis." + name, " ('" + boot + "' and '" + haRedis + "')");
		}
		return (haRedis != null) ? haRedis : boot;
	}

	private static boolean isSet(Binder binder, String property) {
		return binder.bind(property, Bindable.of(String.class)).isBound();
	}

	private static HaRedisConfigurationException notUsed(String name, String action) {
		return new HaRedisConfigurationException(BOOT + name, "spring.data.redis." + name + " is not used by ha-redis",
				action);
	}

	private static HaRedisConfigurationException differs(String name, String haRedisProperty, String values) {
		return new HaRedisConfigurationException(BOOT + name,
				"spring.data.redis." + name + " differs from " + haRedisProperty + values,
				"Set it in one place only, preferably " + haRedisProperty
						+ " (ha-redis carries spring.data.redis.* settings over only when the ha.redis one is unset)");
	}

	/**
	 * Return the read timeout of commands.
	 * @return the timeout, or {@code null} for Lettuce's default
	 */
	@Nullable Duration timeout() {
		return this.timeout;
	}

	/**
	 * Return the connection timeout.
	 * @return the timeout
	 */
	Duration connectTimeout() {
		return this.connectTimeout;
	}

	/**
	 * Return the client name to set on connections.
	 * @return the client name, or {@code null} for none
	 */
	@Nullable String clientName() {
		return this.clientName;
	}

	/**
	 * Return how long to wait for the client to shut down, zero for Lettuce's default.
	 * @return the shutdown timeout
	 */
	Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Return the pool of the factories Spring Boot would pool.
	 * @return the pool settings, or {@code null} when they are not pooled
	 */
	DataRedisProperties.@Nullable Pool pool() {
		return this.pool;
	}

	/**
	 * Return whether the connection factories run their tasks on virtual threads, as Spring Boot's do.
	 * @return whether virtual threads are enabled and available
	 */
	boolean virtualThreads() {
		return this.virtualThreads;
	}

}
