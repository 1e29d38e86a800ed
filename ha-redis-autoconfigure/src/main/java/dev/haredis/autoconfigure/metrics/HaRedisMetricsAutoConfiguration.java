package dev.haredis.autoconfigure.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.metrics.SentinelTopologyMetrics;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the topology meters.
 * Spring Boot binds {@link MeterBinder} beans to every meter registry.
 */
@AutoConfiguration(after = HaRedisConnectionAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(SentinelTopology.class)
@ConditionalOnBooleanProperty(name = "ha.redis.metrics.enabled", matchIfMissing = true)
public final class HaRedisMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SentinelTopologyMetrics sentinelTopologyMetrics(SentinelTopology sentinelTopology) {
		return new SentinelTopologyMetrics(sentinelTopology);
	}

}
