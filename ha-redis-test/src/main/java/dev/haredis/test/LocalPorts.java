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

	/**
	 * Return a port nothing listens on whose cluster bus port (the port + 10000) is free and valid too, for a Redis
	 * Cluster node.
	 * @return the port
	 */
	public static int unusedWithClusterBus() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = unused();
			if (port + 10000 <= 65535 && free(port + 10000)) {
				return port;
			}
		}
		throw new IllegalStateException("Found no free port whose cluster bus port (+10000) is free too");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
