package dev.haredis.autoconfigure.cache;

import java.time.Clock;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.haredis.cache.CacheOutage;
import dev.haredis.cache.CacheOutageMetrics;

import static org.assertj.core.api.Assertions.assertThat;

class HaRedisCacheMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisCacheMetricsAutoConfiguration.class));

	@Test
	void metersTheCacheWhenItIsThere() {
		this.runner.withBean(CacheOutage.class, () -> new CacheOutage(Clock.systemUTC()))
			.run((context) -> assertThat(context).hasSingleBean(CacheOutageMetrics.class)
				.hasBean("haRedisCacheOutageMetrics"));
	}

	@Test
	void backsOffWithoutTheCache() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(CacheOutageMetrics.class));
	}

	@Test
	void backsOffWhenMetricsAreDisabled() {
		this.runner.withBean(CacheOutage.class, () -> new CacheOutage(Clock.systemUTC()))
			.withPropertyValues("ha.redis.metrics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CacheOutageMetrics.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.runner.withBean(CacheOutage.class, () -> new CacheOutage(Clock.systemUTC()))
			.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CacheOutageMetrics.class));
	}

}
