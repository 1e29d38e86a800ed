package dev.haredis.autoconfigure.topology;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.autoconfigure.health.HaRedisHealthContributorAutoConfiguration;
import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.test.FakeRespServer;
import dev.haredis.test.LocalPorts;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologySnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sentinels announced by someone else than the real ones: a real master, replica and three sentinels, and fake
 * sentinels announced to them on the master's {@code __sentinel__:hello} channel, as anyone allowed to publish there
 * can. Each test starts its own topology: the real sentinels keep what they learned until a reset.
 */
class RogueSentinelIntegrationTests {

	private static final String DATA_PASSWORD = "data-Secret-7";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				DataRedisAutoConfiguration.class, HaRedisHealthContributorAutoConfiguration.class))
		.withPropertyValues("ha.redis.sentinel.master=mymaster", "ha.redis.password=" + DATA_PASSWORD);

	@Test
	void aRogueSentinelNeverSendsTheApplicationToAMasterOfItsOwn() {
		String rogueId = runId(666);
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().password(DATA_PASSWORD).start();
				FakeRespServer rogueMaster = FakeRespServer.recorder();
				FakeRespServer rogue = FakeRespServer.sentinel("mymaster", rogueMaster.port(), rogueId, 1000)) {
			this.runner.withPropertyValues("ha.redis.sentinel.nodes=" + topology.sentinelNodes()).run((context) -> {
				SentinelTopology app = context.getBean(SentinelTopology.class);
				RedisProcess master = topology.master();
				topology.announceSentinel(rogue.port(), rogueId);
				// The real sentinels list it, so the application follows it: asks it and subscribes to its events.
				await().atMost(Duration.ofSeconds(10))
					.until(() -> rogue.received("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")
							&& rogue.received("PSUBSCRIBE"));
				// Its events name its master too: as a replica being promoted, then as the new master.
				String rogueAddress = "127.0.0.1 " + rogueMaster.port();
				assertThat(rogue.publish("+selected-slave", "slave 127.0.0.1:" + rogueMaster.port() + " "
						+ rogueAddress + " @ mymaster 127.0.0.1 " + master.port())).isEqualTo(1);
				assertThat(rogue.publish("+switch-master", "mymaster 127.0.0.1 " + master.port() + " " + rogueAddress))
					.isEqualTo(1);
				// Over several checks (one a second), its master (configuration epoch 1000) is never contacted.
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
					template.opsForValue().set("beside-a-rogue", "real");
					return rogueMaster.connections() == 0;
				});
				assertThat(rogueMaster.commands()).isEmpty();
				// It is shown as a learned sentinel naming an unconfirmed master.
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(app.getSnapshot().sentinels())
						.filteredOn((sentinel) -> sentinel.address().port() == rogue.port())
						.singleElement()
						.satisfies((sentinel) -> {
							assertThat(sentinel.learned()).isTrue();
							assertThat(sentinel.unconfirmedMaster())
								.isEqualTo(new NodeAddress("127.0.0.1", rogueMaster.port()));
						}));
				assertThat(context.getBean(SentinelTopologyHealthIndicator.class).health().getStatus().getCode())
					.isEqualTo("DEGRADED");
				assertThat(master.command("GET", "beside-a-rogue")).isEqualTo("real");
				assertThat(app.getMaster())
					.hasValueSatisfying((used) -> assertThat(used.address().port()).isEqualTo(master.port()));
				assertThat(app.getFailovers()).isZero();
				// Nor does its +selected-slave count as a failover under way.
				assertThat(app.getSnapshot().problems()).doesNotContain("a failover is in progress")
					.anyMatch((problem) -> problem.contains("which no configured sentinel confirms"));
			});
		}
	}

	@Test
	void aRogueSentinelThatNamesTheRealMasterCannotMakeItsOwnNodeKnownNorChangeTheStateAndIsForgottenOnReset() {
		String rogueId = runId(667);
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().password(DATA_PASSWORD).start();
				FakeRespServer rogueNode = FakeRespServer.recorder();
				FakeRespServer rogue = FakeRespServer.sentinel("mymaster", topology.master().port(), rogueId, 1000,
						List.of(rogueNode.port()))) {
			this.runner.withPropertyValues("ha.redis.sentinel.nodes=" + topology.sentinelNodes()).run((context) -> {
				SentinelTopology app = context.getBean(SentinelTopology.class);
				RedisProcess master = topology.master();
				topology.announceSentinel(rogue.port(), rogueId);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> rogue.received("SENTINEL", "REPLICAS", "mymaster") && rogue.received("PSUBSCRIBE"));
				// It names the real master with a made-up epoch and lists its own node as a replica: over several
				// checks that node never becomes a known replica.
				await().during(Duration.ofSeconds(3))
					.atMost(Duration.ofSeconds(5))
					.until(() -> app.getSnapshot()
						.replicas()
						.stream()
						.noneMatch((replica) -> replica.address().port() == rogueNode.port()));
				// So its +switch-master to that node is not followed, and its +odown and +try-failover change nothing.
				String masterAddress = "127.0.0.1 " + master.port();
				String masterInstance = "master mymaster " + masterAddress;
				assertThat(rogue.publish("+odown", masterInstance + " #quorum 3/2")).isEqualTo(1);
				assertThat(rogue.publish("+try-failover", masterInstance)).isEqualTo(1);
				assertThat(rogue.publish("+switch-master",
						"mymaster " + masterAddress + " 127.0.0.1 " + rogueNode.port())).isEqualTo(1);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
					template.opsForValue().set("beside-a-rogue", "real");
					return rogueNode.connections() == 0 && !app.getSnapshot().failoverInProgress();
				});
				assertThat(rogueNode.commands()).isEmpty();
				assertThat(app.getSnapshot().recentEvents())
					.noneMatch((event) -> event.reportedBy().port() == rogue.port());
				assertThat(context.getBean(SentinelTopologyHealthIndicator.class).health().getStatus().getCode())
					.isEqualTo("UP");
				assertThat(app.getFailovers()).isZero();
				assertThat(master.command("GET", "beside-a-rogue")).isEqualTo("real");
				// Once the real sentinels forget it, the application stops following it, though it answers.
				topology.sentinels().forEach((real) -> real.command("SENTINEL", "RESET", "mymaster"));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(app.getSnapshot().sentinels())
						.noneMatch((sentinel) -> sentinel.address().port() == rogue.port()));
			});
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void learnedSentinelsAreBoundedAndForgottenOnceTheRealSentinelsForgetThem(CapturedOutput output) {
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().password(DATA_PASSWORD).start()) {
			this.runner
				.withPropertyValues("ha.redis.sentinel.nodes=" + topology.sentinelNodes(),
						"ha.redis.sentinel.max-learned=5")
				.run((context) -> {
					SentinelTopology app = context.getBean(SentinelTopology.class);
					// 40 sentinels that do not exist, at 40 distinct ports, announced as a flood of hello messages would;
					// announced again every second, as sentinels do, until every real sentinel has taken them all in
					// (a hello published while a sentinel resubscribes is lost to it).
					List<Integer> ports = IntStream.generate(LocalPorts::unused).distinct().limit(40).boxed().toList();
					await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
						IntStream.range(0, 40).forEach((i) -> topology.announceSentinel(ports.get(i), runId(i + 1)));
						return topology.sentinels().stream().allMatch((real) -> topology.sentinelsKnownBy(real) >= 42);
					});
					// Over several checks: the three configured sentinels and five learned ones, no more.
					await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
						TopologySnapshot snapshot = app.getSnapshot();
						return snapshot.sentinels().size() == 8
								&& snapshot.sentinels().stream().filter(TopologySnapshot.Sentinel::learned).count() == 5;
					});
					assertThat(output.getOut()).containsOnlyOnce("ha.redis.sentinel.max-learned=5");
					// The application still works on the real master.
					context.getBean(StringRedisTemplate.class).opsForValue().set("beside-a-flood", "real");
					assertThat(topology.master().command("GET", "beside-a-flood")).isEqualTo("real");
					// Once the real sentinels forget them, the application stops following them too.
					topology.sentinels().forEach((real) -> real.command("SENTINEL", "RESET", "mymaster"));
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(app.getSnapshot().sentinels()).hasSize(3)
							.noneMatch(TopologySnapshot.Sentinel::learned));
				});
		}
	}

	/** A sentinel run id: 40 hexadecimal characters. */
	private static String runId(int seed) {
		return String.format("%040x", seed);
	}

}
