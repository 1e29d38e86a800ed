package dev.haredis.autoconfigure.purpose;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import dev.haredis.autoconfigure.cache.HaRedisCacheAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.session.HaRedisSessionAutoConfiguration;
import dev.haredis.gadget.Gadget;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the cache and sessions read back from Redis: only the application's own classes and the JDK's value types,
 * whatever someone who can write to Redis put there; entries of another format are misses, not failures.
 */
@ExtendWith(OutputCaptureExtension.class)
class SafeDeserializationIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder());

	private static final JdkSerializationRedisSerializer PLAIN_JDK = new JdkSerializationRedisSerializer();

	@BeforeEach
	void resetGadget() {
		Gadget.instantiated.set(0);
	}

	private WebApplicationContextRunner app() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
					HaRedisPurposeAutoConfiguration.class, HaRedisCacheAutoConfiguration.class, HaRedisSessionAutoConfiguration.class,
					DataRedisAutoConfiguration.class, CacheAutoConfiguration.class, SessionAutoConfiguration.class,
					SessionDataRedisAutoConfiguration.class))
			.withUserConfiguration(Application.class)
			.withPropertyValues("ha.redis.sentinel.master=" + redis.topology().masterName(),
					"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(), "ha.redis.cache.database=1",
					"ha.redis.session.database=2");
	}

	@Test
	void aJsonEntryNamingAClassOutsideTheTrustedPackagesIsAMissNeverInstantiated(CapturedOutput output) {
		app().run((context) -> {
			writeRaw(context, "prices::gadget",
					"{\"@class\":\"dev.haredis.gadget.Gadget\",\"command\":\"rm -rf /\"}".getBytes(StandardCharsets.UTF_8));
			Cache prices = context.getBean(CacheManager.class).getCache("prices");
			assertThat(prices.get("gadget")).isNull();
			assertThat(Gadget.instantiated).hasValue(0);
			assertThat(output).contains("A cached value could not be read as JSON and is treated as a miss (class "
					+ "dev.haredis.gadget.Gadget is not trusted)")
				.doesNotContain("rm -rf");
			// The application's own classes still round-trip as JSON.
			prices.put("tea", new Price("tea", new BigDecimal("2.50")));
			assertThat(prices.get("tea", Price.class)).isEqualTo(new Price("tea", new BigDecimal("2.50")));
			assertThat(new String(readRaw(context, "prices::tea"), StandardCharsets.UTF_8))
				.contains("\"@class\":\"" + Price.class.getName() + "\"");
		});
	}

	@Test
	void javaSerializationReadsTrustedClassesAndRefusesOthersBeforeTheirReadObjectRuns(CapturedOutput output) {
		app().withPropertyValues("ha.redis.cache.value-format=jdk").run((context) -> {
			Gadget gadget = new Gadget();
			gadget.setCommand("rm -rf /");
			writeRaw(context, "prices::gadget", PLAIN_JDK.serialize(gadget));
			Gadget.instantiated.set(0);
			Cache prices = context.getBean(CacheManager.class).getCache("prices");
			assertThat(prices.get("gadget")).isNull();
			assertThat(Gadget.instantiated).hasValue(0);
			assertThat(output).contains("could not be read as Java serialization and is treated as a miss (Class "
					+ "dev.haredis.gadget.Gadget is not trusted)");
			// Trusted values (the application's, in JDK collections) round-trip.
			List<Price> list = List.of(new Price("tea", new BigDecimal("2.50")));
			prices.put("list", list);
			assertThat(prices.get("list").get()).isEqualTo(list);
			assertThat(readRaw(context, "prices::list")).startsWith((byte) 0xAC, (byte) 0xED);
		});
	}

	@Test
	void afterAnUpgradeEntriesWrittenWithJavaSerializationAreMissesOverwrittenWithJson() {
		app().run((context) -> {
			writeRaw(context, "lookups::tea", PLAIN_JDK.serialize(new Price("tea", new BigDecimal("1.00"))));
			Lookups lookups = context.getBean(Lookups.class);
			assertThat(lookups.price("tea")).isEqualTo(new Price("tea", new BigDecimal("2.50")));
			assertThat(lookups.calls()).isOne();
			assertThat(new String(readRaw(context, "lookups::tea"), StandardCharsets.UTF_8)).startsWith("{");
			// From now on, a hit.
			assertThat(lookups.price("tea")).isEqualTo(new Price("tea", new BigDecimal("2.50")));
			assertThat(lookups.calls()).isOne();
		});
	}

	@Test
	void aReadWithAValueLoaderLoadsAgainInsteadOfReturningAnUnreadableEntry() {
		app().run((context) -> {
			writeRaw(context, "synced::tea", PLAIN_JDK.serialize(new Price("tea", new BigDecimal("1.00"))));
			Lookups lookups = context.getBean(Lookups.class);
			assertThat(lookups.syncedPrice("tea")).isEqualTo(new Price("tea", new BigDecimal("2.50")));
			assertThat(lookups.calls()).isOne();
			assertThat(new String(readRaw(context, "synced::tea"), StandardCharsets.UTF_8)).startsWith("{");
			assertThat(lookups.syncedPrice("tea")).isEqualTo(new Price("tea", new BigDecimal("2.50")));
			assertThat(lookups.calls()).isOne();
		});
	}

	@Test
	void jsonSessionsStoreAttributesAsJsonAndReadThemBack() {
		app().withPropertyValues("ha.redis.session.value-format=json").run((context) -> {
			@SuppressWarnings("unchecked")
			SessionRepository<Session> sessions = context.getBean(SessionRepository.class);
			Session session = sessions.createSession();
			session.setAttribute("cart", new Price("tea", new BigDecimal("2.50")));
			sessions.save(session);
			try (RedisConnection connection = context
				.getBean(HaRedisSessionAutoConfiguration.CONNECTION_FACTORY, RedisConnectionFactory.class)
				.getConnection()) {
				byte[] stored = connection.hashCommands()
					.hGet(("spring:session:sessions:" + session.getId()).getBytes(StandardCharsets.UTF_8),
							"sessionAttr:cart".getBytes(StandardCharsets.UTF_8));
				assertThat(new String(stored, StandardCharsets.UTF_8)).contains("\"item\":\"tea\"")
					.contains(Price.class.getName());
			}
			Session read = sessions.findById(session.getId());
			assertThat(read.<Price>getAttribute("cart")).isEqualTo(new Price("tea", new BigDecimal("2.50")));
			sessions.deleteById(session.getId());
		});
	}

	private static void writeRaw(AssertableWebApplicationContext context, String key, byte[] value) {
		try (RedisConnection connection = cacheConnection(context)) {
			connection.stringCommands().set(key.getBytes(StandardCharsets.UTF_8), value);
		}
	}

	private static byte[] readRaw(AssertableWebApplicationContext context, String key) {
		try (RedisConnection connection = cacheConnection(context)) {
			return connection.stringCommands().get(key.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static RedisConnection cacheConnection(AssertableWebApplicationContext context) {
		return context.getBean(HaRedisCacheAutoConfiguration.CONNECTION_FACTORY, RedisConnectionFactory.class)
			.getConnection();
	}

	/**
	 * A value of the application: its package is trusted by default.
	 */
	record Price(String item, BigDecimal amount) implements java.io.Serializable {

	}

	/**
	 * Looks prices up behind the cache, counting the calls.
	 */
	static class Lookups {

		private final AtomicInteger calls = new AtomicInteger();

		@Cacheable("lookups")
		public Price price(String item) {
			this.calls.incrementAndGet();
			return new Price(item, new BigDecimal("2.50"));
		}

		@Cacheable(cacheNames = "synced", sync = true)
		public Price syncedPrice(String item) {
			return price(item);
		}

		int calls() {
			return this.calls.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	@AutoConfigurationPackage
	static class Application {

		@Bean
		Lookups lookups() {
			return new Lookups();
		}

	}

}
