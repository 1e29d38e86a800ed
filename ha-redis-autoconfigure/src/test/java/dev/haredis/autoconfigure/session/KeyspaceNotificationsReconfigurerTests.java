package dev.haredis.autoconfigure.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.data.redis.config.ConfigureRedisAction;

import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelLostEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The decisions of {@link KeyspaceNotificationsReconfigurer}: when it applies Spring Session's action, how often it
 * tries, when it gives up. Setting the flags on a real new master is in
 * {@link KeyspaceNotificationsReconfigurerIntegrationTests}.
 */
class KeyspaceNotificationsReconfigurerTests {

	private static final NodeAddress MASTER = new NodeAddress("10.0.0.2", 6379);

	private final RedisConnectionFactory connectionFactory = mock(RedisConnectionFactory.class);

	private final RedisConnection connection = mock(RedisConnection.class);

	private final List<KeyspaceNotificationsReconfigurer> created = new CopyOnWriteArrayList<>();

	KeyspaceNotificationsReconfigurerTests() {
		given(this.connectionFactory.getConnection()).willReturn(this.connection);
	}

	@AfterEach
	void stop() {
		this.created.forEach(KeyspaceNotificationsReconfigurer::destroy);
	}

	@Test
	void needsNothingWhenSpringSessionHasNoAction() {
		assertThat(reconfigurer(null).reconfigure(MASTER)).isTrue();
		assertThat(reconfigurer(ConfigureRedisAction.NO_OP).reconfigure(MASTER)).isTrue();
		verify(this.connectionFactory, never()).getConnection();
	}

	@Test
	void appliesTheActionOnAConnectionToTheMasterAndClosesIt() {
		List<RedisConnection> configured = new CopyOnWriteArrayList<>();
		assertThat(reconfigurer(configured::add).reconfigure(MASTER)).isTrue();
		assertThat(configured).containsExactly(this.connection);
		verify(this.connection).close();
	}

	@Test
	void retriesWhileTheNewMasterSettles() {
		AtomicInteger attempts = new AtomicInteger();
		ConfigureRedisAction flaky = (connection) -> {
			if (attempts.incrementAndGet() < 3) {
				throw new RedisConnectionFailureException("not yet");
			}
		};
		assertThat(reconfigurer(flaky).reconfigure(MASTER)).isTrue();
		assertThat(attempts).hasValue(3);
		verify(this.connection, times(3)).close();
	}

	@Test
	void givesUpAfterFiveAttempts() {
		AtomicInteger attempts = new AtomicInteger();
		ConfigureRedisAction failing = (connection) -> {
			attempts.incrementAndGet();
			throw new RedisConnectionFailureException("down");
		};
		assertThat(reconfigurer(failing).reconfigure(MASTER)).isFalse();
		assertThat(attempts).hasValue(5);
	}

	@Test
	void doesNotRetryWhenConfigIsDisabledOnTheServer() {
		AtomicInteger attempts = new AtomicInteger();
		// Spring Session's own failure when CONFIG GET is refused.
		ConfigureRedisAction refused = (connection) -> {
			attempts.incrementAndGet();
			throw new IllegalStateException("Unable to configure Redis to keyspace notifications. See "
					+ "https://docs.spring.io/spring-session/reference/api.html#api-redisindexedsessionrepository-sessiondestroyedevent");
		};
		assertThat(reconfigurer(refused).reconfigure(MASTER)).isFalse();
		assertThat(attempts).hasValue(1);
	}

	@Test
	void reconfiguresOnEveryMasterSwitchOffTheTopologyThread() {
		List<String> threads = new CopyOnWriteArrayList<>();
		KeyspaceNotificationsReconfigurer reconfigurer = reconfigurer(
				(connection) -> threads.add(Thread.currentThread().getName()));
		reconfigurer.onTopologyEvent(new MasterSwitchedEvent("mymaster", new NodeAddress("10.0.0.1", 6379), MASTER,
				Instant.now(), "+switch-master"));
		reconfigurer.onTopologyEvent(new MasterSwitchedEvent("mymaster", MASTER, new NodeAddress("10.0.0.1", 6379),
				Instant.now(), "+switch-master"));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(threads).hasSize(2)
			.allSatisfy((name) -> assertThat(name).startsWith("ha-redis-session-keyspace")
				.isNotEqualTo(Thread.currentThread().getName())));
	}

	@Test
	void ignoresOtherTopologyEvents() {
		List<RedisConnection> configured = new CopyOnWriteArrayList<>();
		KeyspaceNotificationsReconfigurer reconfigurer = reconfigurer(configured::add);
		reconfigurer.onTopologyEvent(new SentinelLostEvent(new NodeAddress("10.0.0.9", 26379), "down", Instant.now()));
		// A switch queued after it runs on the same single thread: once it ran, the other event was skipped.
		reconfigurer.onTopologyEvent(new MasterSwitchedEvent("mymaster", new NodeAddress("10.0.0.1", 6379), MASTER,
				Instant.now(), "+switch-master"));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(configured).hasSize(1));
		verify(this.connectionFactory, times(1)).getConnection();
	}

	@Test
	void addsTheFlagsSpringSessionNeedsAsItsOwnActionDoes() {
		assertThat(KeyspaceNotificationsReconfigurer.withSessionEvents("")).isEqualTo("Egx");
		assertThat(KeyspaceNotificationsReconfigurer.withSessionEvents("Egx")).isEqualTo("Egx");
		assertThat(KeyspaceNotificationsReconfigurer.withSessionEvents("Kl")).isEqualTo("KlEgx");
		assertThat(KeyspaceNotificationsReconfigurer.withSessionEvents("KA")).isEqualTo("KAE");
		assertThat(KeyspaceNotificationsReconfigurer.withSessionEvents("Ex")).isEqualTo("Exg");
	}

	@Test
	void acceptsNoSwitchOnceDestroyed() {
		List<RedisConnection> configured = new CopyOnWriteArrayList<>();
		KeyspaceNotificationsReconfigurer reconfigurer = reconfigurer(configured::add);
		reconfigurer.destroy();
		reconfigurer.onTopologyEvent(new MasterSwitchedEvent("mymaster", new NodeAddress("10.0.0.1", 6379), MASTER,
				Instant.now(), "+switch-master"));
		assertThat(configured).isEmpty();
		verify(this.connectionFactory, never()).getConnection();
	}

	private KeyspaceNotificationsReconfigurer reconfigurer(ConfigureRedisAction action) {
		KeyspaceNotificationsReconfigurer reconfigurer = new KeyspaceNotificationsReconfigurer(this.connectionFactory,
				() -> action);
		this.created.add(reconfigurer);
		return reconfigurer;
	}

}
