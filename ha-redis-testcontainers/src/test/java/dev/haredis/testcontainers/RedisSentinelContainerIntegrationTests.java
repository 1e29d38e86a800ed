package dev.haredis.testcontainers;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.connection.HaRedisConnectionDetails;
import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyHealth;
import dev.haredis.topology.TopologySnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The container topology behaves like a Docker deployment behind port mapping: what the sentinels announce cannot
 * be reached from the application, the address map makes it work, and stopped sentinels are reported. The
 * failovers through the map are {@link RedisSentinelContainerFailoverIntegrationTests}. The tests run in order on
 * one topology; the last one stops two sentinels.
 */
@RequiresDocker
@Testcontainers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelContainerIntegrationTests {

	@Container
	static final RedisSentinelContainer redis = new RedisSentinelContainer(LocalRedisImage.buildOnLinuxOr("redis:7.4"));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("ha.redis.sentinel.master=" + redis.getMasterName(),
				"ha.redis.sentinel.nodes=" + redis.getSentinelNodes(), "ha.redis.timeout=2s");


	@Test
	@Order(1)
	void announcedMasterIsUnreachableWithoutTheMapAndTheStartupErrorSaysWhatToDo() {
		NodeAddress announced = redis.getMasterAnnouncedAddress();
		assertThat(announced.host()).isEqualTo(RedisSentinelContainer.ANNOUNCED_HOST);
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("named " + announced + ", which refused the connection");
			assertThat(analysis.getAction()).contains("ha.redis.sentinel.address-map")
				.contains("replica-announce-ip")
				.contains("sentinel announce-ip");
		});
	}

	@Test
	@Order(2)
	void withoutTheMapHealthIsDownAndSaysWhatToDo() {
		NodeAddress announced = redis.getMasterAnnouncedAddress();
		this.runner.withPropertyValues("ha.redis.fail-fast=false").run((context) -> {
			assertThat(context).hasNotFailed();
			SentinelTopology topology = context.getBean(SentinelTopology.class);
			Health health = new SentinelTopologyHealthIndicator(topology, 5).health(true);
			assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
			assertThat(health.getDetails()).containsEntry("master", announced.toString()).doesNotContainKey("error");
			assertThat(health.getDetails().get("problems")).asList().anySatisfy((problem) -> assertThat(problem)
				.asString()
				.contains("master " + announced + " cannot be reached")
				.contains("ha.redis.sentinel.address-map")
				.contains("replica-announce-ip"));
		});
	}

	@Test
	@Order(3)
	void withTheMapEveryAddressIsReachableAndHealthShowsBoth() {
		withAddressMap(this.runner).run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(StringRedisTemplate.class).opsForValue().set("through-the-map", "yes");
			NodeAddress master = redis.getMasterAnnouncedAddress();
			assertThat(redis.command(master.port(), "GET", "through-the-map")).isEqualTo("yes");
			SentinelTopology topology = context.getBean(SentinelTopology.class);
			Health health = new SentinelTopologyHealthIndicator(topology, 5).health(true);
			assertThat(health.getStatus().getCode()).isEqualTo("UP");
			assertThat(health.getDetails()).containsEntry("master", redis.getMasterAddress().toString())
				.containsEntry("masterAnnouncedAs", master.toString());
			assertThat(topology.getSnapshot().replicas()).singleElement()
				.satisfies((replica) -> assertThat(replica.isOnline()).isTrue());
		});
	}

	@Test
	@Order(4)
	void sentinelsAnnouncedUnreachableAreKnownByTheirIdsWhenOnlyTheDataNodesAreMapped() {
		// The usual partial map: the sentinels list each other at 127.0.0.2, which nothing on this host answers.
		withDataNodesMappedOnly(this.runner).run((context) -> {
			SentinelTopology topology = context.getBean(SentinelTopology.class);
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
				TopologySnapshot snapshot = topology.getSnapshot();
				return snapshot.sentinels().size() == 3 && snapshot.sentinelsReached() == 3;
			});
			assertThat(topology.getSnapshot().problems()).noneMatch((problem) -> problem.contains("sentinels"));
		});
	}

	@Test
	@Order(5)
	void anAnnouncedSentinelThatCannotBeReachedIsReportedWithTheFix() {
		NodeAddress listed = redis.getSentinelAddresses().get(0);
		withDataNodesMappedOnly(this.runner.withPropertyValues("ha.redis.sentinel.nodes=" + listed))
			.run((context) -> {
				SentinelTopology topology = context.getBean(SentinelTopology.class);
				// The other two, learned from the listed one at 127.0.0.2, where nothing on this host answers.
				await().atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertThat(topology.getSnapshot().sentinels())
					.hasSize(3)
					.filteredOn((sentinel) -> !sentinel.reachable())
					.hasSize(2)
					.allSatisfy((sentinel) -> assertThat(sentinel.problem())
						.contains("announced by the other sentinels and never reached")
						.contains("ha.redis.sentinel.address-map")
						.contains("sentinel announce-ip")));
				assertThat(topology.getSnapshot().problems()).anyMatch((problem) -> problem.contains("only 1 of 3 sentinels"));
			});
	}

	@Test
	@Order(6)
	void reportsStoppedSentinelsAndStillWritesWhenConfiguredFromTheContainerAlone() {
		// As @ServiceConnection configures it: connection details from the container, address map included.
		this.runner.withPropertyValues("ha.redis.topology.refresh-interval=200ms")
			.withBean(HaRedisConnectionDetails.class, () -> () -> HaRedisConnectionDetails.Sentinel
				.of(redis.getMasterName(), redis.getSentinelAddresses(), null, null, redis.getAddressMap()))
			.run((context) -> {
				SentinelTopology topology = context.getBean(SentinelTopology.class);
				redis.stopSentinel(1);
				redis.stopSentinel(2);
				try {
					await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
						TopologySnapshot snapshot = topology.getSnapshot();
						assertThat(snapshot.sentinelsReached()).isEqualTo(1);
						assertThat(snapshot.health()).isEqualTo(TopologyHealth.DEGRADED);
					});
					// Writes still work: a lost majority only stops the next failover.
					context.getBean(StringRedisTemplate.class).opsForValue().set("without-majority", "yes");
				}
				finally {
					redis.startSentinel(1);
					redis.startSentinel(2);
				}
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(topology.getSnapshot().sentinelsReached()).isEqualTo(3));
			});
	}

	private static ApplicationContextRunner withAddressMap(ApplicationContextRunner runner) {
		Map<String, Object> properties = Map.copyOf(redis.getAddressMapProperties());
		return runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("container address map", properties)));
	}

	/**
	 * The map of the master and replica alone, as users usually write it; the sentinels' announced addresses stay
	 * unmapped.
	 */
	private static ApplicationContextRunner withDataNodesMappedOnly(ApplicationContextRunner runner) {
		Set<String> sentinels = redis.getSentinelAddresses().stream().map(NodeAddress::toString).collect(Collectors.toSet());
		Map<String, Object> dataNodes = redis.getAddressMapProperties()
			.entrySet()
			.stream()
			.filter((entry) -> !sentinels.contains(entry.getValue()))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		assertThat(dataNodes).hasSize(2);
		return runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("data nodes only", dataNodes)));
	}

	private static FailureAnalysis analyze(Throwable failure) {
		// The analyzers Spring Boot would run on a failed start; those that need a bean factory are left out.
		for (FailureAnalyzer analyzer : SpringFactoriesLoader
			.forDefaultResourceLocation(RedisSentinelContainerIntegrationTests.class.getClassLoader())
			.load(FailureAnalyzer.class, FailureHandler.handleMessage((message, ex) -> {
			}))) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		throw new AssertionError("No failure analysis for " + failure);
	}

}
