package dev.haredis.autoconfigure.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.haredis.autoconfigure.connection.ConnectionPurposeProperties;
import dev.haredis.autoconfigure.support.PropertyChecks;

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
	 * How cached values are written: 'jdk' (Java serialization, as Spring Boot) or 'json' (Jackson 3, readable and
	 * independent of Java serialization).
	 */
	private ValueFormat valueFormat = ValueFormat.JDK;

	/**
	 * Packages whose classes may be read back from JSON cache entries, besides the JDK's. Defaults to the
	 * application's packages (those of the '@SpringBootApplication' class). The type names stored in JSON are only
	 * trusted within these packages, so a tampered entry cannot make the application load an arbitrary class.
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
		for (int i = 0; i < this.trustedPackages.size(); i++) {
			checks.name("trusted-packages[" + i + "]", this.trustedPackages.get(i), "com.example.orders");
		}
	}

	/**
	 * How cached values are written.
	 */
	public enum ValueFormat {

		/**
		 * Java serialization, as Spring Boot's default.
		 */
		JDK,

		/**
		 * JSON with the class name of each value, restricted to trusted packages.
		 */
		JSON

	}

}
