package dev.haredis.autoconfigure.session;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.data.redis.config.ConfigureRedisAction;
import org.springframework.session.data.redis.config.annotation.SpringSessionRedisConnectionFactory;
import org.springframework.util.ClassUtils;

import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.ConnectionFactoryBuilder;
import dev.haredis.autoconfigure.purpose.ConnectionPurpose;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.internal.TrustedJson;
import dev.haredis.internal.TrustedPackages;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the connection
 * factory Spring Session Data Redis uses ({@code ha.redis.session.*}), qualified with
 * {@link SpringSessionRedisConnectionFactory} so that sessions get their own database, prefix and timeouts and are
 * always read from the master. Keyspace notifications are set again on every new master. With
 * {@code ha.redis.session.value-format=json}, session attributes are written as JSON restricted to trusted packages
 * instead of Spring Session's Java serialization.
 */
@AutoConfiguration(after = { HaRedisConnectionAutoConfiguration.class, HaRedisClusterAutoConfiguration.class },
		beforeName = "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration")
@ConditionalOnClass({ RedisSessionRepository.class, SpringSessionRedisConnectionFactory.class })
@ConditionalOnBean(ConnectionFactoryBuilder.class)
@ConditionalOnBooleanProperty(name = "ha.redis.session.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HaRedisSessionProperties.class)
public final class HaRedisSessionAutoConfiguration {

	/**
	 * The name of the sessions' connection factory.
	 */
	public static final String CONNECTION_FACTORY = "haRedisSessionConnectionFactory";

	/**
	 * The name of the serializer bean Spring Session uses for session attributes.
	 */
	static final String DEFAULT_SERIALIZER = "springSessionDefaultRedisSerializer";

	private static final String JSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

	/**
	 * The name of the listener container Spring Session's indexed repository declares.
	 */
	static final String SPRING_SESSION_CONTAINER = "springSessionRedisMessageListenerContainer";

	static final String NAMESPACE_PROPERTY = "spring.session.data.redis.namespace";

	static final String DEFAULT_NAMESPACE = "spring:session";

	@Bean
	@ConditionalOnMissingBean
	KeyspaceNotificationsReconfigurer haRedisKeyspaceNotificationsReconfigurer(
			@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			ObjectProvider<ConfigureRedisAction> configureRedisAction) {
		return new KeyspaceNotificationsReconfigurer(connectionFactory, configureRedisAction::getIfAvailable);
	}

	@Bean
	@ConditionalOnBean(ClusterMonitor.class)
	@ConditionalOnMissingBean
	ClusterSessionEvents haRedisClusterSessionEvents(
			@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			ObjectProvider<RedisIndexedSessionRepository> repository,
			@Qualifier(SPRING_SESSION_CONTAINER) ObjectProvider<RedisMessageListenerContainer> container) {
		return new ClusterSessionEvents(connectionFactory, repository::getIfAvailable, container::getIfAvailable);
	}

	/**
	 * Return the namespace Spring Session writes its keys under, with the key prefix in front.
	 */
	static String namespace(HaRedisSessionProperties properties, Environment environment) {
		String namespace = environment.getProperty(NAMESPACE_PROPERTY, DEFAULT_NAMESPACE);
		return (properties.getKeyPrefix() != null) ? properties.getKeyPrefix() + namespace : namespace;
	}

	/**
	 * The sessions' connection factory and its purpose, unless the application has a factory of that name.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	static class SessionConnectionConfiguration {

		@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
		@SpringSessionRedisConnectionFactory
		LettuceConnectionFactory haRedisSessionConnectionFactory(ConnectionFactoryBuilder builder,
				HaRedisSessionProperties properties) {
			return builder.withOverrides(properties).build();
		}

		@Bean
		ConnectionPurpose haRedisSessionConnectionPurpose(ConnectionFactoryBuilder builder,
				HaRedisSessionProperties properties, Environment environment,
				@Qualifier(CONNECTION_FACTORY) LettuceConnectionFactory connectionFactory) {
			return ConnectionPurpose.storingKeys(properties, builder, namespace(properties, environment),
					connectionFactory);
		}

	}

	/**
	 * Writes session attributes as JSON restricted to trusted packages, through the serializer bean Spring Session
	 * picks up by name.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "ha.redis.session.value-format", havingValue = "json")
	static class JsonSessionConfiguration {

		@Bean(name = DEFAULT_SERIALIZER, defaultCandidate = false)
		@ConditionalOnMissingBean(name = DEFAULT_SERIALIZER)
		RedisSerializer<Object> springSessionDefaultRedisSerializer(HaRedisSessionProperties properties,
				BeanFactory beanFactory, ResourceLoader resourceLoader) {
			if (!ClassUtils.isPresent(JSON_MAPPER, resourceLoader.getClassLoader())) {
				throw new HaRedisConfigurationException("ha.redis.session.value-format",
						"'json' needs Jackson 3 (" + JSON_MAPPER + ") on the class path",
						"Add a dependency on org.springframework.boot:spring-boot-starter-jackson, or remove the "
								+ "property (Java serialization, Spring Session's default)");
			}
			return TrustedJson.serializer(TrustedPackages.of("ha.redis.session.trusted-packages",
					properties.getTrustedPackages(), beanFactory));
		}

	}

	/**
	 * Puts the key prefix in front of Spring Session's namespace, after Spring Boot has set the namespace.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("ha.redis.session.key-prefix")
	static class KeyPrefixConfiguration {

		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE)
		SessionRepositoryCustomizer<RedisSessionRepository> haRedisSessionKeyPrefixCustomizer(
				HaRedisSessionProperties properties, Environment environment) {
			return (repository) -> repository.setRedisKeyNamespace(namespace(properties, environment));
		}

		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE)
		@ConditionalOnClass(RedisIndexedSessionRepository.class)
		SessionRepositoryCustomizer<RedisIndexedSessionRepository> haRedisIndexedSessionKeyPrefixCustomizer(
				HaRedisSessionProperties properties, Environment environment) {
			return (repository) -> repository.setRedisKeyNamespace(namespace(properties, environment));
		}

	}

}
