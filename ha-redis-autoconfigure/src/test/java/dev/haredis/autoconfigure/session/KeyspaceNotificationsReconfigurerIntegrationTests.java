package dev.haredis.autoconfigure.session;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.session.data.redis.config.ConfigureNotifyKeyspaceEventsAction;
import org.springframework.session.data.redis.config.ConfigureRedisAction;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link KeyspaceNotificationsReconfigurer} on a real master, replica and three sentinels: {@code
 * notify-keyspace-events} is not replicated, so only the reconfigurer gives a promoted replica the flags Spring
 * Session's indexed repository needs.
 */
class KeyspaceNotificationsReconfigurerIntegrationTests {

	private static final Duration FAILOVER = Duration.ofSeconds(30);

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisSessionAutoConfiguration.class, DataRedisAutoConfiguration.class))
		// Spring Session's own action, as its indexed repository defines it.
		.withBean(ConfigureRedisAction.class, ConfigureNotifyKeyspaceEventsAction::new);

	@AfterEach
	void restore() {
		LocalSentinelTopology topology = redis.topology();
		topology.restore();
		servers(topology).forEach((server) -> server.command("CONFIG", "SET", "notify-keyspace-events", ""));
	}

	@Test
	void setsTheNotificationsOnTheNewMasterAfterAFailoverKeepingItsOwnFlags() {
		LocalSentinelTopology topology = redis.topology();
		RedisProcess replica = topology.replicas().get(0);
		// The replica's own flags (keyspace events for lists), which the application must not drop.
		replica.command("CONFIG", "SET", "notify-keyspace-events", "Kl");
		this.runner
			.withPropertyValues("ha.redis.sentinel.master=" + topology.masterName(),
					"ha.redis.sentinel.nodes=" + topology.sentinelNodes())
			.run((context) -> {
				assertThat(context).hasSingleBean(KeyspaceNotificationsReconfigurer.class);
				assertThat(notifyKeyspaceEvents(replica)).doesNotContain("E", "g", "x");
				RedisProcess oldMaster = topology.failover();
				RedisProcess newMaster = topology.awaitNewMaster(oldMaster, FAILOVER);
				assertThat(newMaster).isSameAs(replica);
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(notifyKeyspaceEvents(newMaster)).contains("E", "g", "x", "K", "l"));
			});
	}

	private static Stream<RedisProcess> servers(LocalSentinelTopology topology) {
		return Stream.concat(Stream.of(topology.master()), topology.replicas().stream());
	}

	private static String notifyKeyspaceEvents(RedisProcess server) {
		Object reply = server.command("CONFIG", "GET", "notify-keyspace-events");
		return String.valueOf(((List<?>) reply).get(1));
	}

}
