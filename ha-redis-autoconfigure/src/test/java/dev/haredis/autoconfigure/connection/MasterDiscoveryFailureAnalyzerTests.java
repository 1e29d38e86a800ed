package dev.haredis.autoconfigure.connection;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.haredis.topology.DiscoveryAttempt;
import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.MasterDiscoveryException;
import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;

class MasterDiscoveryFailureAnalyzerTests {

	private static final NodeAddress SENTINEL = new NodeAddress("sentinel-a", 26379);

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			SENTINEL_REFUSED        | Nothing listens at sentinel-a:26379
			SENTINEL_TIMEOUT        | raise ha.redis.sentinel.timeout
			TLS                     | ha.redis.ssl.bundle
			TLS_HOST_MISMATCH       | certificates whose subject alternative names cover that host
			SENTINEL_AUTHENTICATION | ha.redis.sentinel.password
			MASTER_UNKNOWN          | Set ha.redis.sentinel.master
			MASTER_UNREACHABLE      | 'sentinel announce-ip'
			DATA_AUTHENTICATION     | ha.redis.username and ha.redis.password
			NOT_A_MASTER            | SENTINEL RESET mymaster
			DATABASE_OUT_OF_RANGE   | Lower ha.redis.database
			OTHER                   | See the errors above
			""")
	void advisesOnEachProblem(Problem problem, String advice) {
		FailureAnalysis analysis = analyze(List.of(new DiscoveryAttempt(SENTINEL, null, problem, "what happened")));
		assertThat(analysis.getDescription()).isEqualTo("No usable Redis master 'mymaster' could be found through "
				+ "the sentinels (ha.redis.sentinel.nodes):\n    - sentinel-a:26379: what happened");
		assertThat(analysis.getAction()).contains(advice);
	}

	@ParameterizedTest
	@EnumSource(Problem.class)
	void suggestsStartingDegradedOnlyWhenRedisIsUnreachable(Problem problem) {
		FailureAnalysis analysis = analyze(List.of(new DiscoveryAttempt(SENTINEL, null, problem, "detail")));
		boolean unreachable = problem == Problem.SENTINEL_REFUSED || problem == Problem.SENTINEL_TIMEOUT
				|| problem == Problem.MASTER_UNREACHABLE;
		assertThat(analysis.getAction().contains("ha.redis.fail-fast=false")).isEqualTo(unreachable);
	}

	@ParameterizedTest
	@EnumSource(value = Problem.class, names = { "SENTINEL_REFUSED", "MASTER_UNKNOWN" })
	void givesEachAdviceOnceForSeveralSentinels(Problem problem) {
		FailureAnalysis analysis = analyze(List.of(new DiscoveryAttempt(SENTINEL, null, problem, "one"),
				new DiscoveryAttempt(new NodeAddress("sentinel-b", 26379), null, problem, "two")));
		assertThat(analysis.getDescription()).contains("sentinel-a:26379: one").contains("sentinel-b:26379: two");
		assertThat(analysis.getAction().lines().filter((line) -> !line.contains("fail-fast"))).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource(value = Problem.class, names = { "TLS", "TLS_HOST_MISMATCH" })
	void tellsTheSentinelsTlsFromTheDataNodesTls(Problem problem) {
		NodeAddress master = new NodeAddress("10.0.0.21", 6379);
		String sentinelSide = analyze(List.of(new DiscoveryAttempt(SENTINEL, null, problem, "detail"))).getAction();
		String dataSide = analyze(List.of(new DiscoveryAttempt(SENTINEL, master, problem, "detail"))).getAction();
		assertThat(sentinelSide).contains("sentinels sentinel-a:26379").doesNotContain("the master the sentinels name");
		assertThat(dataSide).contains("the master the sentinels name").doesNotContain("sentinel-a:26379");
		if (problem == Problem.TLS) {
			assertThat(sentinelSide).contains("ha.redis.sentinel.ssl.enabled=false")
				.contains("ha.redis.sentinel.ssl.bundle");
			assertThat(dataSide).contains("ha.redis.ssl.bundle");
		}
		else {
			assertThat(sentinelSide).contains("ha.redis.sentinel.nodes");
			assertThat(dataSide).contains("ha.redis.sentinel.address-map").contains("sentinel announce-hostnames yes");
		}
		String both = analyze(List.of(new DiscoveryAttempt(SENTINEL, null, problem, "one"),
				new DiscoveryAttempt(new NodeAddress("sentinel-b", 26379), master, problem, "two")))
			.getAction();
		assertThat(both.lines()).hasSize(2);
	}

	private static FailureAnalysis analyze(List<DiscoveryAttempt> attempts) {
		return new MasterDiscoveryFailureAnalyzer()
			.analyze(new MasterDiscoveryException("mymaster", attempts, List.of()));
	}

}
