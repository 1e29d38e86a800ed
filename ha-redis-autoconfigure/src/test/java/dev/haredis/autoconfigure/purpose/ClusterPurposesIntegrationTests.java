package dev.haredis.autoconfigure.purpose;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.events.SessionDeletedEvent;

import dev.haredis.autoconfigure.cache.HaRedisCacheAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisClusterAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.autoconfigure.queue.HaRedisQueueAutoConfiguration;
import dev.haredis.autoconfigure.session.HaRedisSessionAutoConfiguration;
import dev.haredis.cluster.ClusterLettuceConnectionFactory;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.queue.TaskContext;
import dev.haredis.queue.TaskListener;
import dev.haredis.queue.TaskQueueOperations;
import dev.haredis.queue.TaskState;
import dev.haredis.test.LocalClusterTopology;
import dev.haredis.test.LocalClusterTopologyExtension;
import dev.haredis.test.RedisProcess;

import static dev.haredis.autoconfigure.purpose.PurposesFailoverIntegrationTests.notifyKeyspaceEvents;
import static dev.haredis.autoconfigure.purpose.PurposesFailoverIntegrationTests.publish;
import static dev.haredis.autoconfigure.purpose.PurposesFailoverIntegrationTests.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache, sessions, pub/sub and the task queue on a real local cluster (three masters, three replicas,
 * {@code cluster-node-timeout} 2000 ms): each on database 0 under its own prefix, spread over the shards, and still
 * working once the node that holds the application's subscription and a master that holds their keys are killed.
 */
class ClusterPurposesIntegrationTests {

	private static final Duration FAILOVER = Duration.ofSeconds(30);

	/**
	 * How long after the promotion each purpose must work again: well inside what a user would notice, with room
	 * for a loaded CI machine (the drill measures the real figures).
	 */
	private static final Duration RECOVERY = Duration.ofSeconds(5);

	@RegisterExtension
	static final LocalClusterTopologyExtension cluster = new LocalClusterTopologyExtension();

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisClusterAutoConfiguration.class, HaRedisPurposeAutoConfiguration.class,
				HaRedisCacheAutoConfiguration.class, HaRedisSessionAutoConfiguration.class,
				HaRedisMessagingAutoConfiguration.class, HaRedisQueueAutoConfiguration.class,
				DataRedisAutoConfiguration.class, CacheAutoConfiguration.class, SessionAutoConfiguration.class,
				SessionDataRedisAutoConfiguration.class))
		.withUserConfiguration(Application.class)
		.withPropertyValues("ha.redis.cache.key-prefix=cache:", "ha.redis.cache.timeout=1s",
				"spring.session.data.redis.repository-type=indexed", "ha.redis.queue.block-timeout=200ms",
				"ha.redis.queue.visibility-timeout=2s", "ha.redis.queue.max-attempts=1",
				"ha.redis.queue.shutdown-timeout=5s", "ha.redis.queue.result-ttl=1h");

	@AfterEach
	void restore() {
		cluster.topology().restore();
	}

	@Test
	void purposesSpreadOverTheShardsAndWorkAfterAKilledMaster() {
		LocalClusterTopology topology = cluster.topology();
		this.runner.withPropertyValues("ha.redis.cluster.nodes=" + topology.seedNodes()).run((context) -> {
			assertThat(context).hasNotFailed();
			for (String name : List.of(HaRedisCacheAutoConfiguration.CONNECTION_FACTORY,
					HaRedisSessionAutoConfiguration.CONNECTION_FACTORY,
					HaRedisMessagingAutoConfiguration.CONNECTION_FACTORY, HaRedisQueueAutoConfiguration.CONNECTION_FACTORY)) {
				assertThat(context.getBean(name)).as(name).isInstanceOf(ClusterLettuceConnectionFactory.class);
			}
			Cache cache = context.getBean(CacheManager.class).getCache("prices");
			// 8 to 12 of these keys hash to each third of the slots. Written again until each master has some: a
			// cluster formed a moment ago may still be settling (one CI run saw a master without any).
			await().atMost(RECOVERY).untilAsserted(() -> {
				for (int i = 0; i < 30; i++) {
					cache.put("item" + i, Integer.toString(i));
				}
				assertThat(masters(topology))
					.as(() -> "every master holds some of the cache's prefixed keys; the monitor's view: "
							+ context.getBean(ClusterMonitor.class).getView())
					.allSatisfy((master) -> assertThat(String.valueOf(master.command("KEYS", "cache:prices::*")))
						.isNotEqualTo("[]"));
			});

			// Sessions: keyspace notifications on every master, the indexed repository's needs.
			assertThat(masters(topology)).allSatisfy(
					(master) -> assertThat(notifyKeyspaceEvents(master)).contains("E", "g", "x"));
			RedisIndexedSessionRepository sessions = context.getBean(RedisIndexedSessionRepository.class);
			RedisIndexedSessionRepository.RedisSession session = sessions.createSession();
			session.setAttribute("user", "alice");
			sessions.save(session);

			// Session deletions reach the application from every shard, each once.
			SessionEvents events = context.getBean(SessionEvents.class);
			List<String> deleted = new ArrayList<>();
			while (deleted.size() < 30 || deleted.stream().map((id) -> masterOfSession(topology, id)).distinct().count() < 3) {
				RedisIndexedSessionRepository.RedisSession doomed = sessions.createSession();
				sessions.save(doomed);
				deleted.add(doomed.getId());
			}
			deleted.forEach(sessions::deleteById);
			await().atMost(RECOVERY).until(() -> events.deleted.containsAll(deleted));

			// Queue: every key of a queue, its results and its dead-letter queue in the queue's slot.
			TaskQueueOperations queue = context.getBean(TaskQueueOperations.class);
			Handlers handlers = context.getBean(Handlers.class);
			String greeting = queue.enqueue("greetings", "alice");
			String broken = queue.enqueue("broken", "bob");
			await().atMost(RECOVERY).until(() -> queue.result(greeting).state() == TaskState.SUCCESS);
			await().atMost(RECOVERY).until(() -> handlers.deadLetters.containsKey(broken));
			assertThat(greeting).startsWith("greetings:");
			assertThat(broken).startsWith("broken:");
			RedisProcess greetings = topology.masterOf(LocalClusterTopology.slot("{greetings}"));
			assertThat(greetings.command("EXISTS", "queue:{greetings}",
					"queue:result:{greetings}" + greeting.substring("greetings".length())))
				.isEqualTo(2L);
			assertThat(topology.masterOf(LocalClusterTopology.slot("{broken}"))
				.command("EXISTS", "queue:{broken}", "queue:{broken}.dead-letter",
						"queue:result:{broken}" + broken.substring("broken".length())))
				.isEqualTo(3L);

			// An entry a producer of its own added, its id in another slot than the queue: dead-lettered, not stuck.
			greetings.command("XADD", "queue:{greetings}", "*", "id", "order:42", "payload", "\"bob\"");
			await().atMost(RECOVERY)
				.until(() -> String.valueOf(greetings.command("XRANGE", "queue:{greetings}.dead-letter", "-", "+"))
					.contains("order:42"));

			// Pub/sub: received, from whichever node holds the subscription.
			List<String> chat = subscribe(context, "chat");
			await().atMost(RECOVERY).until(() -> {
				publish(context, "chat", "before");
				return chat.contains("before");
			});

			// Kill the node that holds the application's subscription, and a master with keys of every purpose.
			RedisProcess subscriber = topology.nodes()
				.stream()
				.filter((node) -> String.valueOf(node.command("CLIENT", "LIST")).contains(" sub=1 psub=0"))
				.findFirst()
				.orElseThrow();
			// A replica holding it goes down with its own master spared: that shard could not fail over.
			RedisProcess killed = masters(topology).contains(subscriber) ? subscriber
					: masters(topology).stream()
						.filter((master) -> !topology.replicasOf(master).contains(subscriber))
						.findFirst()
						.orElseThrow();
			if (killed != subscriber) {
				subscriber.kill();
			}
			int slot = slotOf(topology, killed);
			topology.killMasterOf(slot);
			RedisProcess promoted = topology.awaitNewMasterOf(slot, killed, FAILOVER);

			await().atMost(RECOVERY)
				.untilAsserted(() -> assertThat(notifyKeyspaceEvents(promoted)).contains("E", "g", "x"));
			await().atMost(RECOVERY).untilAsserted(() -> {
				for (int i = 0; i < 30; i++) {
					cache.put("item" + i, "after");
				}
				assertThat(cache.get("item0", String.class)).isEqualTo("after");
			});
			assertThat(sessions.findById(session.getId()))
				.satisfies((found) -> assertThat(found.<String>getAttribute("user")).isEqualTo("alice"));
			List<String> deletedAfter = new ArrayList<>();
			while (deletedAfter.size() < 30 || !deletedAfter.stream()
				.map((id) -> masterOfSession(topology, id))
				.toList()
				.contains(promoted)) {
				RedisIndexedSessionRepository.RedisSession doomed = sessions.createSession();
				sessions.save(doomed);
				deletedAfter.add(doomed.getId());
			}
			deletedAfter.forEach(sessions::deleteById);
			await().atMost(RECOVERY).until(() -> events.deleted.containsAll(deletedAfter));
			assertThat(events.deleted).as("each deletion told once").doesNotHaveDuplicates();
			String afterwards = queue.enqueue("greetings", "carol");
			await().atMost(RECOVERY).until(() -> queue.result(afterwards).state() == TaskState.SUCCESS);
			await().atMost(RECOVERY).until(() -> {
				publish(context, "chat", "after");
				return chat.contains("after");
			});
		});
	}

	private static List<RedisProcess> masters(LocalClusterTopology topology) {
		List<RedisProcess> masters = new ArrayList<>();
		for (RedisProcess node : topology.nodes()) {
			if (node.isAlive() && "master".equals(node.role()) && !topology.replicasOf(node).isEmpty()) {
				masters.add(node);
			}
		}
		return masters;
	}

	private static RedisProcess masterOfSession(LocalClusterTopology topology, String id) {
		return topology.masterOf(LocalClusterTopology.slot("spring:session:sessions:expires:" + id));
	}

	private static int slotOf(LocalClusterTopology topology, RedisProcess master) {
		for (int slot = 0; slot < LocalClusterTopology.SLOTS; slot++) {
			if (topology.masterOf(slot).equals(master)) {
				return slot;
			}
		}
		throw new IllegalStateException(master + " serves no slot");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class Application {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

		@Bean
		SessionEvents sessionEvents() {
			return new SessionEvents();
		}

	}

	static class SessionEvents {

		final List<String> deleted = new CopyOnWriteArrayList<>();

		@EventListener
		void onSessionDeleted(SessionDeletedEvent event) {
			this.deleted.add(event.getSessionId());
		}

	}

	static class Handlers {

		final Map<String, String> deadLetters = new ConcurrentHashMap<>();

		@TaskListener(queue = "greetings")
		String greet(String name) {
			return "hello " + name;
		}

		@TaskListener(queue = "broken")
		void broken(String name) {
			throw new IllegalStateException("always broken");
		}

		@TaskListener(queue = "broken.dead-letter")
		void deadLetter(String name, TaskContext context) {
			this.deadLetters.put(context.taskId(), name);
		}

	}

}
