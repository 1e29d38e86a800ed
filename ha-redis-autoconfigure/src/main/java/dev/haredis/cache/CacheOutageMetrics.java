package dev.haredis.cache;

import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for a fail-open cache:
 * <ul>
 * <li>{@code ha.redis.cache.skipped}: cache operations skipped while Redis was unavailable, tagged with the
 * {@code operation} ({@code get}, a miss; {@code put}, {@code evict}, {@code clear});</li>
 * <li>{@code ha.redis.cache.outages}: outages (runs of skipped operations) since the start;</li>
 * <li>{@code ha.redis.cache.outage.ongoing}: 1 while operations are being skipped.</li>
 * </ul>
 * <p>
 * Public because the auto-configuration ({@code dev.haredis.autoconfigure.cache}) creates it, as the
 * {@code haRedisCacheOutageMetrics} bean.
 */
public class CacheOutageMetrics implements MeterBinder {

	private final CacheOutage outage;

	/**
	 * Create a new instance.
	 * @param outage the cache's outage tracker
	 */
	public CacheOutageMetrics(CacheOutage outage) {
		this.outage = outage;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (CacheOperation operation : CacheOperation.values()) {
			FunctionCounter.builder("ha.redis.cache.skipped", this.outage, (o) -> o.skippedCount(operation))
				.description("Cache operations skipped while Redis was unavailable")
				.tag("operation", operation.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
		FunctionCounter.builder("ha.redis.cache.outages", this.outage, CacheOutage::outages)
			.description("Runs of cache operations skipped while Redis was unavailable")
			.register(registry);
		Gauge.builder("ha.redis.cache.outage.ongoing", this.outage, (o) -> o.isOngoing() ? 1 : 0)
			.description("1 while cache operations are being skipped")
			.register(registry);
	}

}
