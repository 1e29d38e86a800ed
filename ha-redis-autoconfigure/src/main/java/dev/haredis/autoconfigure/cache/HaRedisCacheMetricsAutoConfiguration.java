package dev.haredis.autoconfigure.cache;

import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.haredis.cache.CacheOutage;
import dev.haredis.cache.CacheOutageMetrics;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the fail-open
 * cache's meters ({@code ha.redis.cache.*}), when Micrometer is on the class path and the cache is configured. Off
 * with {@code ha.redis.metrics.enabled=false}, like the other ha-redis meters. Spring Boot binds the
 * {@link MeterBinder} to every meter registry.
 */
@AutoConfiguration(after = HaRedisCacheAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(CacheOutage.class)
@ConditionalOnBooleanProperty(name = "ha.redis.metrics.enabled", matchIfMissing = true)
public final class HaRedisCacheMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CacheOutageMetrics haRedisCacheOutageMetrics(CacheOutage haRedisCacheOutage) {
		return new CacheOutageMetrics(haRedisCacheOutage);
	}

}
