package dev.haredis.autoconfigure.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.metrics.ClusterMetrics;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the Redis Cluster
 * meters. Spring Boot binds {@link MeterBinder} beans to every meter registry.
 */
@AutoConfiguration(after = HaRedisClusterAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(ClusterMonitor.class)
@ConditionalOnBooleanProperty(name = "ha.redis.metrics.enabled", matchIfMissing = true)
public final class HaRedisClusterMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClusterMetrics haRedisClusterMetrics(ClusterMonitor clusterMonitor) {
		return new ClusterMetrics(clusterMonitor);
	}

}
