package dev.haredis.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.internal.RedisErrors;

/**
 * Keeps track of the cache operations skipped while Redis is unavailable: logs once when an outage starts and once
 * when it ends (not once per request), and counts what was skipped for metrics.
 */
public class CacheOutage {

	private static final Log logger = LogFactory.getLog(CacheOutage.class);

	private final Clock clock;

	private final Map<CacheOperation, LongAdder> skipped = new EnumMap<>(CacheOperation.class);

	private final AtomicReference<@Nullable Instant> startedAt = new AtomicReference<>();

	private final AtomicLong outages = new AtomicLong();

	private final LongAdder skippedInOutage = new LongAdder();

	/**
	 * Create a new instance.
	 * @param clock the clock to time outages with
	 */
	public CacheOutage(Clock clock) {
		this.clock = clock;
		for (CacheOperation operation : CacheOperation.values()) {
			this.skipped.put(operation, new LongAdder());
		}
	}

	/**
	 * Record that an operation was skipped.
	 * @param operation what was skipped
	 * @param cacheName the cache
	 * @param cause the failure, or {@code null} when the operation was skipped because no master is available
	 */
	void skipped(CacheOperation operation, String cacheName, @Nullable Throwable cause) {
		this.skipped.get(operation).increment();
		this.skippedInOutage.increment();
		if (this.startedAt.compareAndSet(null, this.clock.instant())) {
			this.outages.incrementAndGet();
			String reason = (cause != null) ? RedisErrors.describe(cause) : "no master is available";
			logger.warn("Redis cache unavailable (" + reason + ", first seen on cache '" + cacheName + "'): cache "
					+ "reads miss and writes are skipped until it is back");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Skipped " + operation + " on cache '" + cacheName + "'"
					+ ((cause != null) ? ": " + RedisErrors.describe(cause) : ""));
		}
	}

	/**
	 * Record that an operation reached Redis, which ends an outage.
	 */
	void succeeded() {
		Instant started = this.startedAt.get();
		if (started != null && this.startedAt.compareAndSet(started, null)) {
			long count = this.skippedInOutage.sumThenReset();
			logger.info("Redis cache is back after " + Duration.between(started, this.clock.instant()).toMillis()
					+ "ms; " + count + " cache operation(s) were skipped meanwhile");
		}
	}

	/**
	 * Whether an outage is ongoing.
	 * @return whether the last operation was skipped
	 */
	public boolean isOngoing() {
		return this.startedAt.get() != null;
	}

	/**
	 * Return how many operations of a kind were skipped since the application started.
	 * @param operation the kind of operation
	 * @return the count
	 */
	public long skippedCount(CacheOperation operation) {
		return this.skipped.get(operation).sum();
	}

	/**
	 * Return how many outages started since the application started.
	 * @return the count
	 */
	public long outages() {
		return this.outages.get();
	}

}
