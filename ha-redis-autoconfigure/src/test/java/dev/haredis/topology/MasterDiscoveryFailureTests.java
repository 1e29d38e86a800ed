package dev.haredis.topology;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.SentinelSettings.Credentials;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link MasterDiscovery} reads a failed connection: which problem it reports, so the startup error gives the
 * right advice. The failures are built by hand (the real ones come from the real-topology tests); no connection is
 * made.
 */
class MasterDiscoveryFailureTests {

	private static final ClientResources resources = DefaultClientResources.create();

	private static final NodeAddress SENTINEL = new NodeAddress("127.0.0.1", 26379);

	private static final NodeAddress MASTER = new NodeAddress("redis-master", 6379);

	private final MasterDiscovery discovery = new MasterDiscovery(new SentinelConnector(resources,
			ClientOptions.create(), new SentinelSettings("mymaster", List.of(SENTINEL), Credentials.NONE,
					Credentials.NONE, 0, false, Duration.ofMillis(500), AddressMap.NONE)));

	@AfterAll
	static void shutdown() {
		resources.shutdown();
	}

	@Test
	void anAnnouncedMasterHostThatDoesNotResolveIsUnreachable() {
		DiscoveryAttempt attempt = this.discovery.dataFailure(SENTINEL, MASTER,
				new RedisConnectionException("Unable to connect to redis-master:6379",
						new UnknownHostException("redis-master: Name or service not known")));
		assertThat(attempt.problem()).isEqualTo(Problem.MASTER_UNREACHABLE);
		assertThat(attempt.detail()).isEqualTo("named redis-master:6379, whose host cannot be resolved");
	}

	@Test
	void aRefusedMasterIsUnreachable() {
		DiscoveryAttempt attempt = this.discovery.dataFailure(SENTINEL, MASTER,
				new RedisConnectionException("Unable to connect", new ConnectException("Connection refused")));
		assertThat(attempt.problem()).isEqualTo(Problem.MASTER_UNREACHABLE);
		assertThat(attempt.detail()).isEqualTo("named redis-master:6379, which refused the connection");
	}

	@Test
	void aConnectionDroppedBeforeAnyReplyNamesBothLikelyCauses() {
		DiscoveryAttempt attempt = this.discovery.dataFailure(SENTINEL, MASTER,
				new RedisConnectionException("Unable to connect", new java.io.IOException("Connection reset by peer")));
		assertThat(attempt.problem()).isEqualTo(Problem.TLS);
		assertThat(attempt.detail()).contains("it may serve TLS only (ha.redis.ssl is off)")
			.contains("a port forwarder has nothing behind it");
	}

	@Test
	void aSentinelHostThatDoesNotResolveIsReportedAsSuch() {
		DiscoveryAttempt attempt = this.discovery.sentinelFailure(new NodeAddress("sentinel-a", 26379),
				new RedisConnectionException("Unable to connect", new UnknownHostException("sentinel-a")));
		assertThat(attempt.problem()).isEqualTo(Problem.SENTINEL_REFUSED);
		assertThat(attempt.detail()).isEqualTo("host 'sentinel-a' cannot be resolved");
	}

}
