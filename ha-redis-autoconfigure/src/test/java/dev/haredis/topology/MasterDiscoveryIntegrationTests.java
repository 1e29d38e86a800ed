package dev.haredis.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.haredis.test.LocalPorts;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.SentinelSettings.Credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MasterDiscoveryIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();

	private static ClientResources resources;

	private final List<SentinelConnector> connectors = new ArrayList<>();

	@BeforeAll
	static void createResources() {
		resources = DefaultClientResources.create();
	}

	@AfterAll
	static void releaseResources() {
		resources.shutdown();
	}

	@AfterEach
	void closeDiscoveries() {
		this.connectors.forEach(SentinelConnector::close);
		redis.topology().restore();
	}

	@Test
	void findsTheMasterAndVerifiesItsRole() {
		DiscoveredMaster master = discovery("mymaster", 0, sentinels()).discover();
		assertThat(master.address()).isEqualTo(address(redis.topology().master()));
		assertThat(master.skipped()).isEmpty();
	}

	@Test
	void skipsAnUnreachableSentinelAndAsksTheOneThatAnsweredFirstNextTime() {
		NodeAddress closed = new NodeAddress("127.0.0.1", LocalPorts.unused());
		List<NodeAddress> nodes = new ArrayList<>(List.of(closed));
		nodes.addAll(sentinels());
		MasterDiscovery discovery = discovery("mymaster", 0, nodes);
		DiscoveredMaster first = discovery.discover();
		assertThat(first.address()).isEqualTo(address(redis.topology().master()));
		assertThat(first.skipped()).singleElement().satisfies((attempt) -> {
			assertThat(attempt.sentinel()).isEqualTo(closed);
			assertThat(attempt.problem()).isEqualTo(Problem.SENTINEL_REFUSED);
		});
		assertThat(discovery.discover().skipped()).isEmpty();
	}

	@Test
	void skipsAStaleSentinelThatNamesAServerWhichIsNotAMaster() {
		RedisProcess stale = redis.topology().startExtraSentinel("mymaster");
		List<NodeAddress> nodes = new ArrayList<>(List.of(address(stale)));
		nodes.addAll(sentinels());
		DiscoveredMaster master = discovery("mymaster", 0, nodes).discover();
		assertThat(master.address()).isEqualTo(address(redis.topology().master()));
		assertThat(master.skipped()).singleElement().satisfies((attempt) -> {
			assertThat(attempt.problem()).isEqualTo(Problem.NOT_A_MASTER);
			assertThat(attempt.detail()).contains("reports role 'slave'");
		});
	}

	@Test
	void skipsASentinelThatDoesNotKnowTheMaster() {
		RedisProcess foreign = redis.topology().startExtraSentinel("othermaster");
		List<NodeAddress> nodes = new ArrayList<>(List.of(address(foreign)));
		nodes.addAll(sentinels());
		DiscoveredMaster master = discovery("mymaster", 0, nodes).discover();
		assertThat(master.skipped()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.problem()).isEqualTo(Problem.MASTER_UNKNOWN));
	}

	@Test
	void reportsATimeoutForAFrozenSentinel() {
		RedisProcess frozen = redis.topology().startExtraSentinel("mymaster");
		frozen.freeze();
		try {
			List<NodeAddress> nodes = new ArrayList<>(List.of(address(frozen)));
			nodes.addAll(sentinels());
			DiscoveredMaster master = discovery("mymaster", 0, nodes).discover();
			assertThat(master.skipped()).singleElement()
				.satisfies((attempt) -> assertThat(attempt.problem()).isEqualTo(Problem.SENTINEL_TIMEOUT));
		}
		finally {
			frozen.unfreeze();
		}
	}

	@Test
	void stillFindsTheMasterWithTwoOfThreeSentinelsDown() {
		List<RedisProcess> sentinels = redis.topology().sentinels();
		sentinels.get(0).kill();
		sentinels.get(1).kill();
		DiscoveredMaster master = discovery("mymaster", 0, sentinels()).discover();
		assertThat(master.sentinel()).isEqualTo(address(sentinels.get(2)));
		assertThat(master.skipped()).extracting(DiscoveryAttempt::problem)
			.containsExactly(Problem.SENTINEL_REFUSED, Problem.SENTINEL_REFUSED);
	}

	@Test
	void namesTheMastersTheSentinelsDoKnowWhenTheNameIsWrong() {
		assertThatExceptionOfType(MasterDiscoveryException.class)
			.isThrownBy(() -> discovery("mymastr", 0, sentinels()).discover())
			.satisfies((ex) -> {
				assertThat(ex.getAttempts()).hasSize(3)
					.allSatisfy((attempt) -> assertThat(attempt.problem()).isEqualTo(Problem.MASTER_UNKNOWN));
				assertThat(ex.getKnownMasterNames()).containsExactly("mymaster");
			});
	}

	@Test
	void reportsEverySentinelWhenNoneCanBeReached() {
		List<NodeAddress> closed = List.of(new NodeAddress("127.0.0.1", LocalPorts.unused()),
				new NodeAddress("127.0.0.1", LocalPorts.unused()));
		assertThatExceptionOfType(MasterDiscoveryException.class)
			.isThrownBy(() -> discovery("mymaster", 0, closed).discover())
			.satisfies((ex) -> assertThat(ex.getAttempts()).extracting(DiscoveryAttempt::sentinel)
				.containsExactlyElementsOf(closed));
	}

	@Test
	void stopsAtADatabaseTheServerDoesNotHave() {
		assertThatExceptionOfType(MasterDiscoveryException.class)
			.isThrownBy(() -> discovery("mymaster", 16, sentinels()).discover())
			.satisfies((ex) -> assertThat(ex.getAttempts()).singleElement()
				.satisfies((attempt) -> assertThat(attempt.problem()).isEqualTo(Problem.DATABASE_OUT_OF_RANGE)));
	}

	@Test
	void followsTheSentinelsAfterAFailover() {
		LocalSentinelTopology topology = redis.topology();
		MasterDiscovery discovery = discovery("mymaster", 0, sentinels());
		RedisProcess old = topology.failover();
		RedisProcess promoted = topology.awaitNewMaster(old, Duration.ofSeconds(30));
		assertThat(discovery.discover().address()).isEqualTo(address(promoted));
	}

	private MasterDiscovery discovery(String master, int database, List<NodeAddress> sentinels) {
		SentinelSettings settings = new SentinelSettings(master, sentinels, Credentials.NONE, Credentials.NONE,
				database, false, Duration.ofMillis(500), AddressMap.NONE);
		SentinelConnector connector = new SentinelConnector(resources, ClientOptions.create(), settings);
		this.connectors.add(connector);
		return new MasterDiscovery(connector);
	}

	private static List<NodeAddress> sentinels() {
		return redis.topology().sentinels().stream().map(MasterDiscoveryIntegrationTests::address).toList();
	}

	private static NodeAddress address(RedisProcess process) {
		return new NodeAddress("127.0.0.1", process.port());
	}


}
