package dev.haredis.autoconfigure.connection;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a Redis Cluster is configured: {@code ha.redis.cluster.nodes}, Spring Boot's
 * {@code spring.data.redis.cluster.nodes}, or a {@link HaRedisClusterConnectionDetails} bean.
 */
class OnClusterConfiguredCondition extends AnyNestedCondition {

	OnClusterConfiguredCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@Conditional(ClusterPropertiesCondition.class)
	static class ClusterProperties {

	}

	@ConditionalOnBean(HaRedisClusterConnectionDetails.class)
	static class ConnectionDetailsBean {

	}

	static class ClusterPropertiesCondition extends SpringBootCondition {

		private static final List<String> PROPERTIES = List.of("ha.redis.cluster.nodes",
				"spring.data.redis.cluster.nodes");

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			for (String property : PROPERTIES) {
				if (ClusterConnectionSettings.namesNodes(binder, property)) {
					return ConditionOutcome.match("found " + property);
				}
			}
			return ConditionOutcome.noMatch("no ha.redis.cluster.nodes or spring.data.redis.cluster.nodes");
		}

	}

}
