package dev.haredis.test;

/**
 * The server certificates a {@link LocalSentinelTopology} can serve TLS with, all signed by the same test CA
 * ({@link LocalSentinelTopology#tlsCaCertificate()}). Test material only: the keys are public.
 */
public enum TestCertificate {

	/** A certificate for {@code 127.0.0.1} and {@code localhost}: the hosts the tests connect to. */
	LOCALHOST("server"),

	/**
	 * A certificate for {@code not-this-host.example} only: trusted through the test CA, but it names a host the
	 * tests never connect to, so a client that verifies host names refuses it.
	 */
	OTHER_HOST("other-host");

	private final String fileName;

	TestCertificate(String fileName) {
		this.fileName = fileName;
	}

	String fileName() {
		return this.fileName;
	}

}
