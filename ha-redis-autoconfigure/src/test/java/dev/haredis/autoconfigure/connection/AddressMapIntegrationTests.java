package dev.haredis.autoconfigure.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.test.LocalPorts;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyDegradedEvent;
import dev.haredis.topology.TopologyListener;
import dev.haredis.topology.TopologySnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ha.redis.sentinel.address-map} on a real master, replica and three sentinels, which announce
 * {@code 127.0.0.1}: the map turns that host into {@code localhost}, so every address the application uses must have
 * gone through it. (The NAT case proper, where announced addresses cannot be reached at all, runs on containers in
 * ha-redis-testcontainers.)
 */
class AddressMapIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@AfterEach
	void restore() {
		redis.topology().restore();
	}

	@Test
	void everyAnnouncedAddressGoesThroughTheMapIncludingAfterAFailover() {
		HaRedisConnectionAutoConfigurationTests.addressMap(this.runner.withPropertyValues(properties()), "127.0.0.1",
				"localhost")
			.run((context) -> {
				SentinelTopology topology = context.getBean(SentinelTopology.class);
				RedisProcess master = redis.topology().master();
				TopologySnapshot snapshot = topology.getSnapshot();
				assertThat(snapshot.master()).isEqualTo(new NodeAddress("localhost", master.port()));
				assertThat(snapshot.announcedAddressOf(snapshot.master()))
					.isEqualTo(new NodeAddress("127.0.0.1", master.port()));
				assertThat(snapshot.replicas()).isNotEmpty()
					.allSatisfy((replica) -> assertThat(replica.address().host()).isEqualTo("localhost"));
				// A replica restored by the test before this one may not be in sync yet, nor seen so by the sentinels
				// (they look every 10 s); a failover asked before that can be aborted. Once it is, its lag (from the
				// master's ROLE, whose addresses are mapped too) is matched to it.
				await().atMost(Duration.ofSeconds(25))
					.untilAsserted(() -> assertThat(topology.getSnapshot().replicas()).isNotEmpty()
						.allSatisfy((replica) -> assertThat(replica.isOnline()).isTrue())
						.allSatisfy((replica) -> assertThat(replica.lagBytes()).isNotNull()));
				assertThat(snapshot.sentinels()).hasSize(3)
					.allSatisfy((sentinel) -> assertThat(sentinel.address().host()).isEqualTo("localhost"));

				Map<String, Object> details = new SentinelTopologyHealthIndicator(topology, 5).health(true).getDetails();
				assertThat(details).containsEntry("master", "localhost:" + master.port())
					.containsEntry("masterAnnouncedAs", "127.0.0.1:" + master.port());

				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				RedisProcess demoted = redis.topology().failover();
				RedisProcess promoted = redis.topology().awaitNewMaster(demoted, Duration.ofSeconds(30));
				// The new master comes from +switch-master (or a check with the sentinels): mapped as well.
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(topology.getSnapshot().master())
						.isEqualTo(new NodeAddress("localhost", promoted.port())));
				await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
					template.opsForValue().set("through-the-map", "after-failover");
					assertThat(promoted.command("GET", "through-the-map")).isEqualTo("after-failover");
				});
			});
	}

	@Test
	void startupErrorSaysTheMappedMasterCannotBeReachedAndHowToFixIt() {
		RedisProcess master = redis.topology().master();
		int closed = LocalPorts.unused();
		HaRedisConnectionAutoConfigurationTests
			.addressMap(this.runner.withPropertyValues(properties()), "127.0.0.1:" + master.port(), "127.0.0.1:" + closed)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MasterDiscoveryFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("named 127.0.0.1:" + closed + " (announced as 127.0.0.1:"
						+ master.port() + ", mapped by ha.redis.sentinel.address-map), which refused the connection");
				assertThat(analysis.getAction()).contains("ha.redis.sentinel.address-map")
					.contains("replica-announce-ip")
					.contains("sentinel announce-ip");
			});
	}

	@Test
	void healthSaysTheMasterCannotBeReachedAndHowToFixIt() {
		RedisProcess master = redis.topology().master();
		int closed = LocalPorts.unused();
		HaRedisConnectionAutoConfigurationTests
			.addressMap(this.runner.withPropertyValues(properties("ha.redis.fail-fast=false")),
					"127.0.0.1:" + master.port(), "127.0.0.1:" + closed)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SentinelTopology topology = context.getBean(SentinelTopology.class);
				Health health = new SentinelTopologyHealthIndicator(topology, 5).health(true);
				assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
				assertThat(health.getDetails()).containsEntry("masterAnnouncedAs", "127.0.0.1:" + master.port())
					.doesNotContainKey("error");
				assertThat(health.getDetails().get("problems")).asList().anySatisfy((problem) -> assertThat(problem)
					.asString()
					.contains("master 127.0.0.1:" + closed + " (announced as 127.0.0.1:" + master.port())
					.contains("cannot be reached")
					.contains("ha.redis.sentinel.address-map"));
			});
	}

	@Test
	void aMasterThatDiesIsReportedUnreachableWithoutTheNatAdvice() {
		List<String> problems = new CopyOnWriteArrayList<>();
		TopologyListener degradedReasons = (event) -> {
			if (event instanceof TopologyDegradedEvent degraded) {
				problems.addAll(degraded.reasons());
			}
		};
		this.runner.withPropertyValues(properties()).withBean(TopologyListener.class, () -> degradedReasons).run((context) -> {
			RedisProcess killed = redis.topology().killMaster();
			redis.topology().awaitNewMaster(killed, Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> problems.stream().anyMatch((problem) -> problem.contains("cannot be reached")));
			// It answered before: it is down, not hidden behind NAT.
			assertThat(problems).noneMatch((problem) -> problem.contains("address-map"));
		});
	}

	private static String[] properties(String... more) {
		String nodes = redis.topology().sentinelNodes("localhost");
		List<String> properties = new java.util.ArrayList<>(
				List.of("ha.redis.sentinel.master=mymaster", "ha.redis.sentinel.nodes=" + nodes, "ha.redis.timeout=2s"));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

}
