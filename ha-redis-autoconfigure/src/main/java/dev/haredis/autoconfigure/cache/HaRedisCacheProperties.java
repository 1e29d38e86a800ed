package dev.haredis.autoconfigure.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.haredis.autoconfigure.purpose.ConnectionPurposeProperties;
import dev.haredis.autoconfigure.internal.PropertyChecks;

/**
 * Configuration properties of the cache: its own connection factory and the {@code RedisCacheManager} on it.
 * Spring Boot's {@code spring.cache.*} properties apply too; these take precedence where both are set.
 */
@ConfigurationProperties("ha.redis.cache")
public class HaRedisCacheProperties extends ConnectionPurposeProperties {

	/**
	 * Whether the cache keeps the application running while Redis is unavailable (no master, a failover in
	 * progress, commands failing): reads miss and writes are skipped, logged once per outage and counted. When
	 * false, cache operations fail with Redis's error.
	 */
	private boolean failOpen = true;

	/**
	 * Default time-to-live of cache entries. Defaults to 'spring.cache.redis.time-to-live', else no expiry.
	 */
	private @Nullable Duration timeToLive;

	/**
	 * Time-to-live of the entries of individual caches, by cache name. These caches are created at startup.
	 */
	private Map<String, Duration> ttl = new LinkedHashMap<>();

	/**
	 * Whether to cache null values. Defaults to 'spring.cache.redis.cache-null-values', else true.
	 */
	private @Nullable Boolean cacheNullValues;

	/**
	 * How cached values are written: 'json' (Jackson 3, with the class name of each value, read back only for the
	 * trusted packages and the JDK's value types) or 'jdk' (Java serialization, read back through an allow-list of
	 * the same classes). Values that cannot be read (another format, an untrusted class) are cache misses.
	 */
	private ValueFormat valueFormat = ValueFormat.JSON;

	/**
	 * Packages whose classes (and those of their subpackages) may be read back from the cache, besides the JDK's
	 * value types (java.lang, java.util, java.time, java.math). Defaults to the application's packages (those of
	 * the '@SpringBootApplication' class). '*' trusts every class. A package broader than the application's own
	 * (such as 'com' or 'org.springframework') is warned about at startup: someone who can write to the cache could
	 * make every instance instantiate any class of it.
	 */
	private List<String> trustedPackages = new ArrayList<>();

	@Override
	public String purposeName() {
		return "cache";
	}

	public boolean isFailOpen() {
		return this.failOpen;
	}

	public void setFailOpen(boolean failOpen) {
		this.failOpen = failOpen;
	}

	public @Nullable Duration getTimeToLive() {
		return this.timeToLive;
	}

	public void setTimeToLive(@Nullable Duration timeToLive) {
		this.timeToLive = timeToLive;
	}

	public Map<String, Duration> getTtl() {
		return this.ttl;
	}

	public void setTtl(Map<String, Duration> ttl) {
		this.ttl = ttl;
	}

	public @Nullable Boolean getCacheNullValues() {
		return this.cacheNullValues;
	}

	public void setCacheNullValues(@Nullable Boolean cacheNullValues) {
		this.cacheNullValues = cacheNullValues;
	}

	public ValueFormat getValueFormat() {
		return this.valueFormat;
	}

	public void setValueFormat(ValueFormat valueFormat) {
		this.valueFormat = valueFormat;
	}

	public List<String> getTrustedPackages() {
		return this.trustedPackages;
	}

	public void setTrustedPackages(List<String> trustedPackages) {
		this.trustedPackages = trustedPackages;
	}

	@Override
	protected void validate(PropertyChecks checks) {
		checks.notNegative("time-to-live", this.timeToLive, "means no expiry");
		this.ttl.forEach((cache, timeToLive) -> checks.notNegative("ttl[" + cache + "]", timeToLive,
				"means no expiry"));
		checks.packageNames("trusted-packages", this.trustedPackages);
	}

	/**
	 * How cached values are written.
	 */
	public enum ValueFormat {

		/**
		 * JSON with the class name of each value, restricted to the trusted packages.
		 */
		JSON,

		/**
		 * Java serialization, read back through an allow-list of the trusted packages.
		 */
		JDK

	}

}
