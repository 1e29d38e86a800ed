package dev.haredis.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The test CA and one server certificate, extracted next to a topology's config files.
 *
 * @param caCertificate the CA certificate (PEM)
 * @param serverCertificate the server certificate (PEM)
 * @param serverKey the server's private key (PEM)
 */
record TlsFiles(Path caCertificate, Path serverCertificate, Path serverKey) {

	static TlsFiles extractTo(Path directory, TestCertificate certificate) {
		try {
			Files.createDirectories(directory);
			return new TlsFiles(extract("ca.crt", directory), extract(certificate.fileName() + ".crt", directory),
					extract(certificate.fileName() + ".key", directory));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path extract(String name, Path directory) throws IOException {
		Path target = directory.resolve(name);
		try (InputStream in = TlsFiles.class.getResourceAsStream("tls/" + name)) {
			if (in == null) {
				throw new IllegalStateException("Missing test TLS resource " + name);
			}
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
		return target;
	}

	/**
	 * Return a socket factory that trusts the test CA, for the topology's own commands.
	 * @return the socket factory
	 */
	SSLSocketFactory socketFactory() {
		try (InputStream in = Files.newInputStream(this.caCertificate)) {
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			trustStore.setCertificateEntry("ha-redis-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trustStore);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context.getSocketFactory();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not load the test CA", ex);
		}
	}

}
