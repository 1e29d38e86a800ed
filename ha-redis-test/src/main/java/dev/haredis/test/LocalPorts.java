package dev.haredis.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Ports on 127.0.0.1 that nothing listens on right now: for servers to start on, or for tests that need a
 * connection to be refused.
 */
public final class LocalPorts {

	private LocalPorts() {
	}

	/**
	 * Return a port the operating system just handed out and released, so nothing listens on it.
	 * @return the port
	 */
	public static int unused() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
