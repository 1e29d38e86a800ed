package dev.haredis.sample;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Looks up prices slowly, behind the {@code prices} cache.
 */
@Service
class PriceService {

	private final AtomicLong lookups = new AtomicLong();

	@Cacheable("prices")
	public Price price(String item) {
		this.lookups.incrementAndGet();
		return new Price(item, BigDecimal.valueOf(Math.abs(item.hashCode() % 1000), 2), Instant.now());
	}

	long lookups() {
		return this.lookups.get();
	}

	/**
	 * A price, and when it was looked up.
	 *
	 * @param item the item
	 * @param amount its price
	 * @param lookedUpAt when it was computed (older than the request when it came from the cache)
	 */
	record Price(String item, BigDecimal amount, Instant lookedUpAt) {

	}

}
