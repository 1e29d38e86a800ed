package dev.haredis.autoconfigure.connection;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a Sentinel topology is configured: any {@code ha.redis.url} or {@code ha.redis.sentinel.*}
 * property, Spring Boot's {@code spring.data.redis.sentinel.*}, or a {@link HaRedisConnectionDetails} bean.
 */
class OnSentinelConfiguredCondition extends AnyNestedCondition {

	OnSentinelConfiguredCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@Conditional(SentinelPropertiesCondition.class)
	static class SentinelProperties {

	}

	@ConditionalOnBean(HaRedisConnectionDetails.class)
	static class ConnectionDetailsBean {

	}

	static class SentinelPropertiesCondition extends SpringBootCondition {

		private static final String[] PREFIXES = { "ha.redis.url", "ha.redis.sentinel", "spring.data.redis.sentinel" };

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			for (String prefix : PREFIXES) {
				if (binder.bind(prefix, Bindable.of(Object.class)).isBound()
						|| binder.bind(prefix, Bindable.mapOf(String.class, Object.class)).isBound()) {
					return ConditionOutcome.match("found " + prefix + " properties");
				}
			}
			return ConditionOutcome.noMatch("no ha.redis.url, ha.redis.sentinel.* or spring.data.redis.sentinel.*");
		}

	}

}
