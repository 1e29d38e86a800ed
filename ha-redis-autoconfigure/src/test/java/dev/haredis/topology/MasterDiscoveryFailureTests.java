package dev.haredis.topology;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

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
	void aConnectionDroppedByAPlainSentinelIsNotBlamedOnTlsWhenTlsIsOnForThem() {
		MasterDiscovery mixed = new MasterDiscovery(new SentinelConnector(resources, ClientOptions.create(),
				new SentinelSettings("mymaster", List.of(SENTINEL), Credentials.NONE, Credentials.NONE, 0, false, true,
						Duration.ofMillis(500), AddressMap.NONE)));
		RedisConnectionException dropped = new RedisConnectionException("Unable to connect",
				new java.io.IOException("Connection reset by peer"));
		assertThat(mixed.sentinelFailure(SENTINEL, dropped).detail())
			.isEqualTo("closed the connection before answering; it may serve TLS only (TLS to the sentinels is off)");
		assertThat(mixed.dataFailure(SENTINEL, MASTER, dropped).problem()).isNotEqualTo(Problem.TLS);
	}

	@Test
	void aCertificateForAnotherHostIsAHostNameMismatchOnEitherSide() {
		DiscoveryAttempt sentinel = this.discovery.sentinelFailure(SENTINEL, hostNameMismatch("127.0.0.1"));
		assertThat(sentinel.problem()).isEqualTo(Problem.TLS_HOST_MISMATCH);
		assertThat(sentinel.sentinelSide()).isTrue();
		assertThat(sentinel.detail()).isEqualTo("its TLS certificate does not name the host '127.0.0.1': No subject "
				+ "alternative names matching IP address 127.0.0.1 found");
		DiscoveryAttempt master = this.discovery.dataFailure(SENTINEL, MASTER, hostNameMismatch("redis-master"));
		assertThat(master.problem()).isEqualTo(Problem.TLS_HOST_MISMATCH);
		assertThat(master.sentinelSide()).isFalse();
		assertThat(master.detail()).startsWith("named redis-master:6379, whose TLS certificate does not name the host "
				+ "'redis-master'");
	}

	@Test
	void anUntrustedCertificateIsATlsProblem() {
		SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
		assertThat(this.discovery.sentinelFailure(SENTINEL, new RedisConnectionException("Unable to connect",
				untrusted)).problem()).isEqualTo(Problem.TLS);
	}

	/**
	 * What the JDK's host name check throws, as Lettuce hands it over.
	 */
	private static RedisConnectionException hostNameMismatch(String host) {
		String message = host.startsWith("127.") ? "No subject alternative names matching IP address " + host + " found"
				: "No subject alternative DNS name matching " + host + " found.";
		SSLHandshakeException handshake = new SSLHandshakeException(message);
		handshake.initCause(new CertificateException(message));
		return new RedisConnectionException("Unable to connect to " + host, handshake);
	}

	@Test
	void aSentinelHostThatDoesNotResolveIsReportedAsSuch() {
		DiscoveryAttempt attempt = this.discovery.sentinelFailure(new NodeAddress("sentinel-a", 26379),
				new RedisConnectionException("Unable to connect", new UnknownHostException("sentinel-a")));
		assertThat(attempt.problem()).isEqualTo(Problem.SENTINEL_REFUSED);
		assertThat(attempt.detail()).isEqualTo("host 'sentinel-a' cannot be resolved");
	}

}
