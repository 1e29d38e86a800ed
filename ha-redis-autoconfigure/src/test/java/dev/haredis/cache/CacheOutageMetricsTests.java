package dev.haredis.cache;

import java.time.Clock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CacheOutageMetricsTests {

	private final CacheOutage outage = new CacheOutage(Clock.systemUTC());

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void countsSkippedOperationsByOperationAndOutagesWhileOneIsOngoing() {
		new CacheOutageMetrics(this.outage).bindTo(this.registry);
		this.outage.skipped(CacheOperation.GET, "books", null);
		this.outage.skipped(CacheOperation.GET, "books", null);
		this.outage.skipped(CacheOperation.PUT, "books", null);
		assertThat(this.registry.get("ha.redis.cache.skipped").tag("operation", "get").functionCounter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("ha.redis.cache.skipped").tag("operation", "put").functionCounter().count())
			.isEqualTo(1);
		assertThat(this.registry.get("ha.redis.cache.outages").functionCounter().count()).isEqualTo(1);
		assertThat(this.registry.get("ha.redis.cache.outage.ongoing").gauge().value()).isEqualTo(1);
		this.outage.succeeded();
		assertThat(this.registry.get("ha.redis.cache.outage.ongoing").gauge().value()).isZero();
	}

}
