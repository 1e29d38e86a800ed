package dev.haredis.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.health.ClusterHealthIndicator;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * {@code redisCluster} health indicator.
 */
@AutoConfiguration(after = HaRedisClusterAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(ClusterMonitor.class)
public final class HaRedisClusterHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "redisClusterHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("redisCluster")
	ClusterHealthIndicator redisClusterHealthIndicator(ClusterMonitor clusterMonitor) {
		return new ClusterHealthIndicator(clusterMonitor);
	}

}
