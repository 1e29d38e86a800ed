package dev.haredis.autoconfigure.endpoint;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that keeps Redis
 * credentials out of Spring Boot Actuator's {@code env} and {@code configprops} endpoints, whatever their
 * {@code show-values} setting.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class HaRedisEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "haRedisCredentialsSanitizingFunction")
	SanitizingFunction haRedisCredentialsSanitizingFunction() {
		return new RedisCredentialsSanitizingFunction();
	}

}
