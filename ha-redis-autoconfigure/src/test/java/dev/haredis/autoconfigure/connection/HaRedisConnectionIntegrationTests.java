package dev.haredis.autoconfigure.connection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.test.RespConnection;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologySnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application context on a real master, replica and three sentinels.
 */
class HaRedisConnectionIntegrationTests {

	private static final String SENTINEL_USER = "app-sentinel";

	private static final String SENTINEL_USER_PASSWORD = "sentinel-user-Secret-3";

	/** The application's user on the data nodes in docs/production.md. */
	private static final String DATA_USER = "app";

	private static final String DATA_USER_PASSWORD = "data-user-Secret-5";

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
	void writesGoToTheMasterAndReplicate() {
		this.runner.withPropertyValues(sentinelProperties()).run((context) -> {
			context.getBean(StringRedisTemplate.class).opsForValue().set("written-through-sentinel", "v1");
			LocalSentinelTopology topology = redis.topology();
			assertThat(topology.master().command("GET", "written-through-sentinel")).isEqualTo("v1");
			RedisProcess replica = topology.replicas().get(0);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(replica.command("GET", "written-through-sentinel")).isEqualTo("v1"));
			assertThat(context.getBean(SentinelTopology.class).getMaster()).hasValueSatisfying(
					(master) -> assertThat(master.address().port()).isEqualTo(topology.master().port()));
		});
	}

	@Test
	void kombuUrlSelectsItsDatabase() {
		String url = redis.topology()
			.sentinelAddresses()
			.stream()
			.map((address) -> "sentinel://" + address + "/5")
			.reduce((a, b) -> a + ";" + b)
			.orElseThrow() + ";";
		this.runner.withPropertyValues("ha.redis.url=" + url, "ha.redis.sentinel.master=mymaster").run((context) -> {
			context.getBean(StringRedisTemplate.class).opsForValue().set("in-database-5", "v5");
			RedisProcess master = redis.topology().master();
			assertThat(master.command("GET", "in-database-5")).isNull();
			assertThat(master.commandInDatabase(5, "GET", "in-database-5")).isEqualTo("v5");
		});
	}

	@Test
	void upgradesASpringBootSentinelApplication() {
		this.runner
			.withPropertyValues("spring.data.redis.sentinel.master=mymaster",
					"spring.data.redis.sentinel.nodes=" + redis.topology().sentinelNodes())
			.run((context) -> {
				assertThat(context).hasSingleBean(SentinelTopology.class);
				context.getBean(StringRedisTemplate.class).opsForValue().set("boot-config", "upgraded");
				assertThat(redis.topology().master().command("GET", "boot-config")).isEqualTo("upgraded");
			});
	}

	@Test
	void startsWhenAStaleSentinelIsListedFirst() {
		RedisProcess stale = redis.topology().startExtraSentinel("mymaster");
		this.runner
			.withPropertyValues("ha.redis.sentinel.master=mymaster",
					"ha.redis.sentinel.nodes=" + stale.address() + "," + redis.topology().sentinelNodes())
			.run((context) -> {
				context.getBean(StringRedisTemplate.class).opsForValue().set("not-on-a-replica", "ok");
				assertThat(redis.topology().master().command("GET", "not-on-a-replica")).isEqualTo("ok");
			});
	}

	@Test
	void reportsAWrongMasterNameWithTheNamesTheSentinelsKnow() {
		this.runner
			.withPropertyValues("ha.redis.sentinel.master=mymastr",
					"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes())
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MasterDiscoveryFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).startsWith("No usable Redis master 'mymastr'")
					.contains("does not monitor a master named 'mymastr'");
				assertThat(analysis.getAction()).contains("They monitor: 'mymaster'.");
			});
	}

	@Test
	void reportsADatabaseTheServersDoNotHave() {
		this.runner.withPropertyValues(sentinelProperties()).withPropertyValues("ha.redis.database=99").run((context) -> {
			FailureAnalysis analysis = new MasterDiscoveryFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("rejected database 99");
			assertThat(analysis.getAction()).contains("Lower ha.redis.database");
		});
	}

	@Test
	void reconnectsToTheNewMasterAfterTheMasterIsKilled() {
		this.runner.withPropertyValues(sentinelProperties()).run((context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("before-kill", "1");
			RedisProcess killed = redis.topology().killMaster();
			RedisProcess promoted = redis.topology().awaitNewMaster(killed, Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
				template.opsForValue().set("after-kill", "2");
				assertThat(promoted.command("GET", "after-kill")).isEqualTo("2");
			});
		});
	}

	@Test
	void sentinelsConfiguredUnderAnotherNameAreCountedOnce() {
		// The sentinels list each other as 127.0.0.1: the same three sentinels, not three more.
		String nodes = redis.topology().sentinelNodes("localhost");
		this.runner.withPropertyValues("ha.redis.sentinel.master=mymaster", "ha.redis.sentinel.nodes=" + nodes)
			.run((context) -> {
				SentinelTopology topology = context.getBean(SentinelTopology.class);
				// For several checks (one a second): each sentinel's list of the others has been learned.
				await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
					TopologySnapshot snapshot = topology.getSnapshot();
					return snapshot.sentinels().size() == 3 && snapshot.sentinelsReached() == 3;
				});
				TopologySnapshot snapshot = topology.getSnapshot();
				assertThat(snapshot.sentinels())
					.allSatisfy((sentinel) -> assertThat(sentinel.address().host()).isEqualTo("localhost"));
				assertThat(snapshot.majority()).isEqualTo(2);
				assertThat(snapshot.problems()).noneMatch((problem) -> problem.contains("sentinels"));
			});
	}

	@Test
	void theSentinelAclOfTheProductionGuideIsEnough() throws IOException {
		List<String> acl = productionGuideAcl(SENTINEL_USER);
		assertThat(acl).contains("+sentinel|myid");
		withSentinelUser(acl, () -> this.runner.withPropertyValues(sentinelUserProperties()).run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(StringRedisTemplate.class).opsForValue().set("through-the-acl-user", "ok");
			assertThat(redis.topology().master().command("GET", "through-the-acl-user")).isEqualTo("ok");
			// Events (PSUBSCRIBE) and every query work, and the ids too: listed as localhost, counted once.
			SentinelTopology topology = context.getBean(SentinelTopology.class);
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
				TopologySnapshot snapshot = topology.getSnapshot();
				return snapshot.sentinels().size() == 3 && snapshot.sentinelsReached() == 3
						&& snapshot.quorumCheck() != null && snapshot.quorumCheck().startsWith("OK");
			});
		}));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aSentinelUserWithoutMyIdStillWorksAndTheLogSaysWhatToGrant(CapturedOutput output) throws IOException {
		List<String> acl = new ArrayList<>(productionGuideAcl(SENTINEL_USER));
		acl.remove("+sentinel|myid");
		withSentinelUser(acl, () -> this.runner.withPropertyValues(sentinelUserProperties()).run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(StringRedisTemplate.class).opsForValue().set("without-myid", "ok");
			assertThat(redis.topology().master().command("GET", "without-myid")).isEqualTo("ok");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut().contains("grant the ha.redis.sentinel.username user +sentinel|myid"));
		}));
	}

	@Test
	void theDataNodeAclOfTheProductionGuideIsEnoughAndCannotAnnounceASentinel() throws IOException {
		List<String> acl = productionGuideAcl(DATA_USER);
		assertThat(acl).doesNotContain("&*", "allchannels");
		List<RedisProcess> dataNodes = redis.topology().servers();
		withUser(dataNodes, DATA_USER, DATA_USER_PASSWORD, acl, () -> this.runner
			.withPropertyValues(sentinelProperties())
			.withPropertyValues("ha.redis.username=" + DATA_USER, "ha.redis.password=" + DATA_USER_PASSWORD)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(StringRedisTemplate.class).opsForValue().set("through-the-data-acl-user", "ok");
				RedisProcess master = redis.topology().master();
				assertThat(master.command("GET", "through-the-data-acl-user")).isEqualTo("ok");
				// With the application's credentials, nobody can pass for a sentinel on the master.
				try (RespConnection app = RespConnection.open(master.port(), Duration.ofSeconds(2))) {
					app.command("AUTH", DATA_USER, DATA_USER_PASSWORD);
					assertThatExceptionOfType(RespConnection.RespErrorException.class)
						.isThrownBy(() -> app.command("PUBLISH", "__sentinel__:hello",
								"127.0.0.1,26999," + "f".repeat(40) + ",0,mymaster,127.0.0.1,6379,0"))
						.withMessageStartingWith("NOPERM");
					assertThat(app.command("PUBLISH", "ha-redis:probe:acl", "still allowed")).isEqualTo(0L);
				}
			}));
	}

	/** The rules of a user in docs/production.md, from its {@code user <name>} line. */
	private static List<String> productionGuideAcl(String user) throws IOException {
		String prefix = "user " + user + " ";
		String line = Files.readAllLines(Path.of("..", "docs", "production.md"))
			.stream()
			.filter((candidate) -> candidate.startsWith(prefix))
			.findFirst()
			.orElseThrow(() -> new AssertionError("docs/production.md has no '" + prefix.strip() + "' line"));
		return List.of(line.substring(prefix.length()).strip().split("\\s+"));
	}

	private static void withSentinelUser(List<String> rules, Runnable test) {
		withUser(redis.topology().sentinels(), SENTINEL_USER, SENTINEL_USER_PASSWORD, rules, test);
	}

	private static void withUser(List<RedisProcess> nodes, String user, String password, List<String> rules,
			Runnable test) {
		List<String> command = new ArrayList<>(List.of("ACL", "SETUSER", user));
		rules.stream().map((rule) -> rule.startsWith(">") ? ">" + password : rule).forEach(command::add);
		try {
			nodes.forEach((node) -> node.command(command.toArray(String[]::new)));
			test.run();
		}
		finally {
			nodes.forEach((node) -> node.command("ACL", "DELUSER", user));
		}
	}

	private static String[] sentinelUserProperties() {
		String nodes = redis.topology().sentinelNodes("localhost");
		return new String[] { "ha.redis.sentinel.master=mymaster", "ha.redis.sentinel.nodes=" + nodes,
				"ha.redis.sentinel.username=" + SENTINEL_USER, "ha.redis.sentinel.password=" + SENTINEL_USER_PASSWORD };
	}

	private static String[] sentinelProperties() {
		return new String[] { "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes(), "ha.redis.timeout=2s" };
	}

}
