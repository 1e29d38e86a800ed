package dev.haredis.test;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * TLS on one side only: which ports speak what, and which certificate the servers present.
 */
class LocalSentinelTopologyTlsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	@Test
	void plainSentinelsInFrontOfTlsDataNodesWithACertificateForAnotherHost() throws Exception {
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder()
			.dataNodeTls(TestCertificate.OTHER_HOST)
			.sentinels(2, 2)
			.start()) {
			// Started: both sentinels agree on the master and know the replica and each other, all over TLS.
			try (RespConnection sentinel = RespConnection.open(topology.sentinels().get(0).port(), TIMEOUT, null)) {
				assertThat(sentinel.command("PING")).isEqualTo("PONG");
			}
			int master = topology.master().port();
			assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> {
				try (RespConnection plain = RespConnection.open(master, TIMEOUT, null)) {
					plain.command("PING");
				}
			});
			assertThat(subjectAlternativeNames(topology, master)).containsExactly("not-this-host.example");
		}
	}

	private static List<String> subjectAlternativeNames(LocalSentinelTopology topology, int port) throws Exception {
		TlsFiles ca = new TlsFiles(topology.tlsCaCertificate(), topology.tlsCaCertificate(),
				topology.tlsCaCertificate());
		try (SSLSocket socket = (SSLSocket) ca.socketFactory().createSocket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
			socket.startHandshake();
			X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			return certificate.getSubjectAlternativeNames().stream().map((name) -> String.valueOf(name.get(1))).toList();
		}
	}

}
