package dev.haredis.autoconfigure.connection;

import io.lettuce.core.SslOptions;

import org.springframework.boot.ssl.SslBundle;

/**
 * Lettuce {@link SslOptions} from a Spring Boot {@link SslBundle}, as Spring Boot builds them for its own Redis
 * connections.
 */
final class LettuceSslOptions {

	private LettuceSslOptions() {
	}

	/**
	 * Create Lettuce SSL options from a bundle.
	 * @param bundle the SSL bundle
	 * @return the SSL options
	 */
	static SslOptions from(SslBundle bundle) {
		SslOptions.Builder builder = SslOptions.builder()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory());
		org.springframework.boot.ssl.SslOptions options = bundle.getOptions();
		if (options.getCiphers() != null) {
			builder.cipherSuites(options.getCiphers());
		}
		if (options.getEnabledProtocols() != null) {
			builder.protocols(options.getEnabledProtocols());
		}
		return builder.build();
	}

}
