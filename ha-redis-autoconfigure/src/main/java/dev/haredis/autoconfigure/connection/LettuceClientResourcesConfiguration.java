package dev.haredis.autoconfigure.connection;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What the Sentinel and the Cluster auto-configurations both need: the Lettuce resources, built as Spring Boot
 * builds them, and Spring Boot's client settings.
 */
@Configuration(proxyBeanMethods = false)
class LettuceClientResourcesConfiguration {

	@Bean
	BootRedisSettings haRedisBootSettings(HaRedisProperties properties, DataRedisProperties bootProperties,
			Environment environment) {
		return BootRedisSettings.of(properties, bootProperties, environment);
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean(ClientResources.class)
	DefaultClientResources lettuceClientResources(ObjectProvider<ClientResourcesBuilderCustomizer> customizers) {
		DefaultClientResources.Builder builder = DefaultClientResources.builder();
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

}
