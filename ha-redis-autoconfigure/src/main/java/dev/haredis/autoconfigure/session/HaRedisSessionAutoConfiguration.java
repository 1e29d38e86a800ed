package dev.haredis.autoconfigure.session;

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
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.data.redis.config.ConfigureRedisAction;
import org.springframework.session.data.redis.config.annotation.SpringSessionRedisConnectionFactory;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.MasterConnectionFactoryBuilder;
import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.session.KeyspaceNotificationsReconfigurer;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the connection
 * factory Spring Session Data Redis uses ({@code ha.redis.session.*}), qualified with
 * {@link SpringSessionRedisConnectionFactory} so that sessions get their own database, prefix and timeouts and are
 * always read from the master. Keyspace notifications are set again on every new master.
 */
@AutoConfiguration(after = HaRedisConnectionAutoConfiguration.class,
		beforeName = "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration")
@ConditionalOnClass({ RedisSessionRepository.class, SpringSessionRedisConnectionFactory.class })
@ConditionalOnBean(MasterConnectionFactoryBuilder.class)
@ConditionalOnBooleanProperty(name = "ha.redis.session.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HaRedisSessionProperties.class)
public final class HaRedisSessionAutoConfiguration {

	/**
	 * The name of the sessions' connection factory.
	 */
	public static final String CONNECTION_FACTORY = "haRedisSessionConnectionFactory";

	static final String NAMESPACE_PROPERTY = "spring.session.data.redis.namespace";

	static final String DEFAULT_NAMESPACE = "spring:session";

	@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
	@SpringSessionRedisConnectionFactory
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	MasterLettuceConnectionFactory haRedisSessionConnectionFactory(MasterConnectionFactoryBuilder builder,
			HaRedisSessionProperties properties, Environment environment) {
		return builder.purpose(properties, namespace(properties, environment), true);
	}

	@Bean
	@ConditionalOnMissingBean
	KeyspaceNotificationsReconfigurer haRedisKeyspaceNotificationsReconfigurer(
			@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory, SentinelTopology topology,
			ObjectProvider<ConfigureRedisAction> configureRedisAction) {
		KeyspaceNotificationsReconfigurer reconfigurer = new KeyspaceNotificationsReconfigurer(connectionFactory,
				configureRedisAction::getIfAvailable);
		topology.addListener(reconfigurer);
		return reconfigurer;
	}

	/**
	 * Return the namespace Spring Session writes its keys under, with the key prefix in front.
	 */
	static String namespace(HaRedisSessionProperties properties, Environment environment) {
		String namespace = environment.getProperty(NAMESPACE_PROPERTY, DEFAULT_NAMESPACE);
		return (properties.getKeyPrefix() != null) ? properties.getKeyPrefix() + namespace : namespace;
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
