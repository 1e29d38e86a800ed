package dev.haredis.autoconfigure.purpose;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.events.SessionDeletedEvent;

import dev.haredis.autoconfigure.cache.HaRedisCacheAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.autoconfigure.session.HaRedisSessionAutoConfiguration;
import dev.haredis.cache.CacheOutage;
import dev.haredis.messaging.MessagesMayHaveBeenMissedEvent;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.SentinelTopology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache, sessions and pub/sub, each on its own connection factory and database, before and after a failover
 * of a real master (replica and three sentinels, {@code down-after-milliseconds} 2000).
 */
class PurposesFailoverIntegrationTests {

	private static final Duration FAILOVER = Duration.ofSeconds(30);

	/**
	 * How long after the sentinels promoted the replica each purpose must work again: well inside the time a
	 * user would notice, while leaving room for a loaded CI machine (the drill measures the real figure).
	 */
	private static final Duration RECOVERY = Duration.ofSeconds(5);

	private static final int CACHE_DATABASE = 1;

	private static final int SESSION_DATABASE = 2;

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisPurposeAutoConfiguration.class, HaRedisCacheAutoConfiguration.class, HaRedisSessionAutoConfiguration.class,
				HaRedisMessagingAutoConfiguration.class, DataRedisAutoConfiguration.class, CacheAutoConfiguration.class,
				SessionAutoConfiguration.class, SessionDataRedisAutoConfiguration.class))
		.withUserConfiguration(Application.class)
		.withPropertyValues("ha.redis.cache.database=" + CACHE_DATABASE, "ha.redis.cache.timeout=1s",
				"ha.redis.session.database=" + SESSION_DATABASE, "spring.session.data.redis.repository-type=indexed");

	@AfterEach
	void restore() {
		redis.topology().restore();
	}

	@Test
	void cacheSessionsAndSubscriptionsSurviveAKilledMaster() {
		survive(() -> redis.topology().killMaster());
	}

	@Test
	void cacheSessionsAndSubscriptionsSurviveAManualFailover() {
		survive(() -> redis.topology().failover());
	}

	private void survive(Supplier<RedisProcess> fault) {
		LocalSentinelTopology topology = redis.topology();
		this.runner
			.withPropertyValues("ha.redis.sentinel.master=" + topology.masterName(),
					"ha.redis.sentinel.nodes=" + topology.sentinelNodes())
			.run((context) -> {
				Cache cache = context.getBean(CacheManager.class).getCache("prices");
				RedisIndexedSessionRepository sessions = context.getBean(RedisIndexedSessionRepository.class);
				Events events = context.getBean(Events.class);
				List<String> chat = subscribe(context, "chat");

				cache.put("apple", "1.00");
				assertThat(cache.get("apple", String.class)).isEqualTo("1.00");
				RedisIndexedSessionRepository.RedisSession session = sessions.createSession();
				session.setAttribute("user", "alice");
				sessions.save(session);
				publish(context, "chat", "before");
				await().atMost(RECOVERY).until(() -> chat.contains("before"));
				RedisProcess replica = topology.replicas().get(0);
				await().atMost(RECOVERY)
					.until(() -> Long.valueOf(1).equals(replica.commandInDatabase(SESSION_DATABASE, "EXISTS",
							"spring:session:sessions:" + session.getId())));

				try (CacheLoop loop = new CacheLoop(cache)) {
					RedisProcess oldMaster = fault.get();
					RedisProcess newMaster = topology.awaitNewMaster(oldMaster, FAILOVER);

					// Cache: fails open during the switch, then works on the new master's database.
					CacheOutage outage = context.getBean(CacheOutage.class);
					SentinelTopology monitor = context.getBean(SentinelTopology.class);
					await().atMost(RECOVERY).untilAsserted(() -> {
						cache.put("apple", "1.10");
						assertThat(cache.get("apple", String.class))
							.as(() -> "cache read after a write (outage ongoing: " + outage.isOngoing()
									+ ", topology: " + monitor.getSnapshot().master() + " verified "
									+ monitor.getSnapshot().masterVerified() + "; new master " + newMaster
									+ " reports " + describe(newMaster) + ")")
							.isEqualTo("1.10");
					});
					assertThat(newMaster.commandInDatabase(CACHE_DATABASE, "EXISTS", "prices::apple")).isEqualTo(1L);
					loop.close();
					assertThat(loop.failures).as("cache failures during the failover").isEmpty();

					// Sessions: still logged in, read from the new master.
					assertThat(sessions.findById(session.getId()))
						.satisfies((found) -> assertThat(found.<String>getAttribute("user")).isEqualTo("alice"));

					// Keyspace notifications are set on the new master, and arrive from it.
					await().atMost(RECOVERY)
						.untilAsserted(() -> assertThat(notifyKeyspaceEvents(newMaster)).contains("E", "g", "x"));
					sessions.deleteById(session.getId());
					await().atMost(RECOVERY)
						.until(() -> events.deletedSessions.contains(session.getId()));

					// Pub/sub: receiving again, and the application was told messages may have been missed.
					// Spring Session's container (keyspace events) and the application's are both probed.
					await().atMost(RECOVERY)
						.until(() -> events.missed.stream().map(MessagesMayHaveBeenMissedEvent::container).toList(),
								(containers) -> containers.containsAll(
										List.of("redisMessageListenerContainer", "springSessionRedisMessageListenerContainer")));
					assertThat(events.missed).allSatisfy((missed) -> {
						assertThat(missed.resumed()).isTrue();
						assertThat(missed.to().port()).isEqualTo(newMaster.port());
					});
					publish(context, "chat", "after");
					await().atMost(RECOVERY).until(() -> chat.contains("after"));
				}
			});
	}

	static List<String> subscribe(AssertableWebApplicationContext context, String channel) {
		List<String> received = new CopyOnWriteArrayList<>();
		context.getBean(RedisMessageListenerContainer.class)
			.addMessageListener((message, pattern) -> received.add(new String(message.getBody(), StandardCharsets.UTF_8)),
					new ChannelTopic(channel));
		return received;
	}

	static void publish(AssertableWebApplicationContext context, String channel, String message) {
		RedisConnectionFactory messaging = context.getBean(HaRedisMessagingAutoConfiguration.CONNECTION_FACTORY,
				RedisConnectionFactory.class);
		try (RedisConnection connection = messaging.getConnection()) {
			connection.publish(channel.getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8));
		}
	}

	/** What a server reports of its role and of the cached value, to explain a failed step. */
	private static String describe(RedisProcess server) {
		try {
			return server.command("ROLE") + ", prices::apple = "
					+ server.commandInDatabase(CACHE_DATABASE, "GET", "prices::apple");
		}
		catch (RuntimeException ex) {
			return ex.toString();
		}
	}

	static String notifyKeyspaceEvents(RedisProcess server) {
		Object reply = server.command("CONFIG", "GET", "notify-keyspace-events");
		return String.valueOf(((List<?>) reply).get(1));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Application {

		@org.springframework.context.annotation.Bean
		Events events() {
			return new Events();
		}

	}

	static class Events {

		final List<String> deletedSessions = new CopyOnWriteArrayList<>();

		final List<MessagesMayHaveBeenMissedEvent> missed = new CopyOnWriteArrayList<>();

		@EventListener
		void onSessionDeleted(SessionDeletedEvent event) {
			this.deletedSessions.add(event.getSessionId());
		}

		@EventListener
		void onMessagesMayHaveBeenMissed(MessagesMayHaveBeenMissedEvent event) {
			this.missed.add(event);
		}

	}

	/**
	 * Reads and writes the cache every 10 ms, as requests would, and keeps what fails (bounded to 60 s).
	 */
	static final class CacheLoop implements AutoCloseable {

		final List<Throwable> failures = new CopyOnWriteArrayList<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Thread thread;

		CacheLoop(Cache cache) {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			this.thread = new Thread(() -> {
				for (int i = 0; this.running.get() && System.nanoTime() < deadline; i++) {
					try {
						cache.put("loop", Integer.toString(i));
						cache.get("loop");
						Thread.sleep(10);
					}
					catch (InterruptedException ex) {
						return;
					}
					catch (RuntimeException ex) {
						this.failures.add(ex);
					}
				}
			}, "cache-loop");
			this.thread.start();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(Duration.ofSeconds(10).toMillis());
		}

	}

}
