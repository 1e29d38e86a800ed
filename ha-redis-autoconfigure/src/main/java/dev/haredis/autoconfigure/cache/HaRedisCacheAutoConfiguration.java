package dev.haredis.autoconfigure.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.boot.cache.autoconfigure.CacheProperties;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheManager.RedisCacheManagerBuilder;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.util.ClassUtils;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.haredis.autoconfigure.cache.HaRedisCacheProperties.ValueFormat;
import dev.haredis.autoconfigure.connection.HaRedisConfigurationException;
import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.ConnectionFactoryBuilder;
import dev.haredis.autoconfigure.purpose.ConnectionPurpose;
import dev.haredis.cache.CacheOutage;
import dev.haredis.cache.FailOpenRedisCacheWriter;
import dev.haredis.cache.UnreadableAsMissSerializer;
import dev.haredis.internal.TrustedJdkSerializer;
import dev.haredis.internal.TrustedJson;
import dev.haredis.internal.TrustedPackages;
import dev.haredis.topology.SentinelTopology;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of Spring Cache on
 * Redis through the topology's master: a connection factory of its own ({@code ha.redis.cache.*}) and a
 * {@link RedisCacheManager} on it that honours Spring Boot's {@code spring.cache.*} properties and customizers,
 * and, by default, fails open while Redis is unavailable. Applies where Spring Boot would configure a Redis cache
 * (caching enabled, {@code spring.cache.type} unset or {@code redis}, no cache manager of the application's own).
 */
@AutoConfiguration(after = { HaRedisConnectionAutoConfiguration.class, HaRedisClusterAutoConfiguration.class },
		before = CacheAutoConfiguration.class)
@ConditionalOnClass({ RedisCacheManager.class, CacheProperties.class })
@ConditionalOnBean({ CacheAspectSupport.class, ConnectionFactoryBuilder.class })
@ConditionalOnBooleanProperty(name = "ha.redis.cache.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "spring.cache.type", havingValue = "redis", matchIfMissing = true)
@EnableConfigurationProperties({ HaRedisCacheProperties.class, CacheProperties.class })
public final class HaRedisCacheAutoConfiguration {

	/**
	 * The name (and qualifier) of the cache's connection factory.
	 */
	public static final String CONNECTION_FACTORY = "haRedisCacheConnectionFactory";

	private static final String JSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

	@Bean
	@ConditionalOnMissingBean
	CacheOutage haRedisCacheOutage() {
		return new CacheOutage(Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean(CacheManager.class)
	RedisCacheManager cacheManager(@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			HaRedisCacheProperties properties, CacheProperties cacheProperties, ObjectProvider<SentinelTopology> topology,
			CacheOutage outage, ObjectProvider<RedisCacheConfiguration> redisCacheConfiguration,
			ObjectProvider<RedisCacheManagerBuilderCustomizer> builderCustomizers,
			ObjectProvider<CacheManagerCustomizer<?>> cacheManagerCustomizers, BeanFactory beanFactory,
			ResourceLoader resourceLoader) {
		RedisCacheWriter writer = RedisCacheWriter.nonLockingRedisCacheWriter(connectionFactory);
		RedisCacheConfiguration applicationDefaults = redisCacheConfiguration.getIfAvailable();
		UnreadableAsMissSerializer values = (applicationDefaults != null) ? null
				: values(properties, beanFactory, resourceLoader.getClassLoader());
		RedisCacheConfiguration defaults = (values != null) ? defaults(properties, cacheProperties, values)
				: applicationDefaults;
		if (values != null) {
			writer = values.reloadingIn(writer);
		}
		if (properties.isFailOpen()) {
			writer = new FailOpenRedisCacheWriter(writer, masterAvailable(topology.getIfAvailable()), outage);
		}
		RedisCacheManagerBuilder builder = RedisCacheManager.builder(writer).cacheDefaults(defaults);
		List<String> cacheNames = cacheProperties.getCacheNames();
		if (!cacheNames.isEmpty()) {
			builder.initialCacheNames(new LinkedHashSet<>(cacheNames));
		}
		properties.getTtl().forEach((name, ttl) -> builder.withCacheConfiguration(name, defaults.entryTtl(ttl)));
		if (cacheProperties.getRedis().isEnableStatistics()) {
			builder.enableStatistics();
		}
		builderCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return new CacheManagerCustomizers(cacheManagerCustomizers.orderedStream().toList()).customize(builder.build());
	}

	/**
	 * Return whether a cache operation may reach Redis at all. A cluster has no one master: each operation goes to
	 * its slot's, and only its own failure skips it.
	 */
	private static BooleanSupplier masterAvailable(@Nullable SentinelTopology topology) {
		return (topology != null) ? () -> topology.getSnapshot().masterVerified() : () -> true;
	}

	private static RedisCacheConfiguration defaults(HaRedisCacheProperties properties,
			CacheProperties cacheProperties, RedisSerializer<Object> values) {
		CacheProperties.Redis boot = cacheProperties.getRedis();
		RedisCacheConfiguration config = RedisCacheConfiguration.defaultCacheConfig()
			.serializeValuesWith(SerializationPair.fromSerializer(values));
		Duration timeToLive = (properties.getTimeToLive() != null) ? properties.getTimeToLive() : boot.getTimeToLive();
		if (timeToLive != null) {
			config = config.entryTtl(timeToLive);
		}
		String keyPrefix = keyPrefix(properties, cacheProperties);
		if (keyPrefix != null) {
			config = config.prefixCacheNameWith(keyPrefix);
		}
		boolean cacheNullValues = (properties.getCacheNullValues() != null) ? properties.getCacheNullValues()
				: boot.isCacheNullValues();
		if (!cacheNullValues) {
			config = config.disableCachingNullValues();
		}
		if (!boot.isUseKeyPrefix()) {
			config = config.disableKeyPrefix();
		}
		return config;
	}

	private static UnreadableAsMissSerializer values(HaRedisCacheProperties properties, BeanFactory beanFactory,
			@Nullable ClassLoader classLoader) {
		ValueFormat format = properties.getValueFormat();
		if (format == ValueFormat.JSON && !ClassUtils.isPresent(JSON_MAPPER, classLoader)) {
			throw new HaRedisConfigurationException("ha.redis.cache.value-format",
					"'json' (the default) needs Jackson 3 (" + JSON_MAPPER + ") on the class path",
					"Add a dependency on org.springframework.boot:spring-boot-starter-jackson, or set "
							+ "ha.redis.cache.value-format=jdk (Java serialization, read back through an allow-list)");
		}
		TrustedPackages trusted = TrustedPackages.of("ha.redis.cache.trusted-packages",
				properties.getTrustedPackages(), beanFactory);
		return (format == ValueFormat.JSON) ? new UnreadableAsMissSerializer(TrustedJson.serializer(trusted), "JSON")
				: new UnreadableAsMissSerializer(new TrustedJdkSerializer(trusted, classLoader), "Java serialization");
	}

	private static @Nullable String keyPrefix(HaRedisCacheProperties properties, CacheProperties cacheProperties) {
		return (properties.getKeyPrefix() != null) ? properties.getKeyPrefix()
				: cacheProperties.getRedis().getKeyPrefix();
	}

	/**
	 * The cache's connection factory and its purpose, unless the application has a factory of that name.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	static class CacheConnectionConfiguration {

		@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
		LettuceConnectionFactory haRedisCacheConnectionFactory(ConnectionFactoryBuilder builder,
				HaRedisCacheProperties properties) {
			return builder.withOverrides(properties).build();
		}

		@Bean
		ConnectionPurpose haRedisCacheConnectionPurpose(ConnectionFactoryBuilder builder,
				HaRedisCacheProperties properties, CacheProperties cacheProperties,
				@Qualifier(CONNECTION_FACTORY) LettuceConnectionFactory connectionFactory) {
			return ConnectionPurpose.storingKeys(properties, builder, keyPrefix(properties, cacheProperties),
					connectionFactory);
		}

	}

}
