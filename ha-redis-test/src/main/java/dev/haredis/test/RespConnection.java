package dev.haredis.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * A minimal blocking RESP2 connection, so the topology can drive its servers (ROLE, SENTINEL, CONFIG)
 * without depending on the client library under test.
 */
public final class RespConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RespConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Open a connection to {@code 127.0.0.1:port}.
	 * @param port the port
	 * @param timeout connect and read timeout
	 * @return the open connection
	 */
	public static RespConnection open(int port, Duration timeout) {
		return open(port, timeout, null);
	}

	/**
	 * Open a connection to {@code 127.0.0.1:port}, over TLS when a socket factory is given.
	 * @param port the port
	 * @param timeout connect and read timeout
	 * @param tls the TLS socket factory, or {@code null} for a plain connection
	 * @return the open connection
	 */
	public static RespConnection open(int port, Duration timeout, @Nullable SSLSocketFactory tls) {
		return open("127.0.0.1", port, timeout, tls);
	}

	/**
	 * Open a connection to {@code host:port}, over TLS when a socket factory is given.
	 * @param host the host name or address
	 * @param port the port
	 * @param timeout connect and read timeout
	 * @param tls the TLS socket factory, or {@code null} for a plain connection
	 * @return the open connection
	 */
	public static RespConnection open(String host, int port, Duration timeout, @Nullable SSLSocketFactory tls) {
		return open(host, port, timeout, tls, null);
	}

	/**
	 * Open a connection to {@code host:port} from a given local address, over TLS when a socket factory is given.
	 * @param host the host name or address
	 * @param port the port
	 * @param timeout connect and read timeout
	 * @param tls the TLS socket factory, or {@code null} for a plain connection
	 * @param localAddress the local address to connect from, or {@code null} for the system's choice
	 * @return the open connection
	 */
	public static RespConnection open(String host, int port, Duration timeout, @Nullable SSLSocketFactory tls,
			@Nullable String localAddress) {
		Socket socket = new Socket();
		try {
			if (localAddress != null) {
				socket.bind(new InetSocketAddress(localAddress, 0));
			}
			socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			if (tls != null) {
				SSLSocket secured = (SSLSocket) tls.createSocket(socket, host, port, true);
				secured.startHandshake();
				return new RespConnection(secured);
			}
			return new RespConnection(socket);
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new UncheckedIOException("Could not connect to " + host + ":" + port, ex);
		}
	}

	/**
	 * Send one command and read its reply: a {@link String}, {@link Long}, {@code null}, a {@link List} of
	 * replies, or a thrown {@link RespErrorException} for an error reply.
	 * @param args the command and its arguments
	 * @return the reply
	 */
	public @Nullable Object command(String... args) {
		try {
			ByteArrayOutputStream buffer = new ByteArrayOutputStream();
			buffer.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
			for (String arg : args) {
				byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
				buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
				buffer.writeBytes(bytes);
				buffer.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
			}
			this.out.write(buffer.toByteArray());
			this.out.flush();
			return readReply();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Command " + args[0] + " failed", ex);
		}
	}

	/**
	 * On a master: write on this connection (a {@code PUBLISH}, which replicates and touches no key) and wait until
	 * that many replicas have acknowledged it ({@code WAIT}), proof that the master streams to them.
	 * @param replicas how many replicas must acknowledge
	 * @param timeout how long {@code WAIT} may block, less than the read timeout
	 * @return whether they did within the timeout
	 */
	public boolean acknowledgedBy(int replicas, Duration timeout) {
		return acknowledgedAfter(replicas, timeout, "PUBLISH", "__ha-redis-test:acknowledged", "1");
	}

	/**
	 * As {@link #acknowledgedBy(int, Duration)}, with the write given: in a cluster {@code PUBLISH} travels the
	 * cluster bus, not the replication stream, so the write must be a key of one of the master's slots.
	 * @param replicas how many replicas must acknowledge
	 * @param timeout how long {@code WAIT} may block, less than the read timeout
	 * @param write the write command and its arguments
	 * @return whether they did within the timeout
	 */
	public boolean acknowledgedAfter(int replicas, Duration timeout, String... write) {
		command(write);
		Object acknowledged = command("WAIT", Integer.toString(replicas), Long.toString(timeout.toMillis()));
		return acknowledged instanceof Long count && count >= replicas;
	}

	/**
	 * Wait, up to the read timeout, for the next message the server pushes on a subscribed connection
	 * ({@code SUBSCRIBE}, {@code PSUBSCRIBE}): a message is a {@link List} such as
	 * {@code [pmessage, pattern, channel, message]}.
	 * @return the message, or empty when none arrived within the read timeout
	 * @throws UncheckedIOException when the connection is lost
	 */
	public Optional<Object> awaitPush() {
		int type;
		try {
			type = this.in.read();
		}
		catch (SocketTimeoutException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Subscription failed", ex);
		}
		try {
			return Optional.ofNullable(readReply(type));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Subscription failed", ex);
		}
	}

	private @Nullable Object readReply() throws IOException {
		return readReply(this.in.read());
	}

	private @Nullable Object readReply(int type) throws IOException {
		if (type == -1) {
			throw new IOException("Connection closed by server");
		}
		String line = readLine();
		switch (type) {
			case '+':
				return line;
			case '-':
				throw new RespErrorException(line);
			case ':':
				return Long.parseLong(line);
			case '$': {
				int length = Integer.parseInt(line);
				if (length < 0) {
					return null;
				}
				byte[] data = this.in.readNBytes(length + 2);
				return new String(data, 0, length, StandardCharsets.UTF_8);
			}
			case '*': {
				int count = Integer.parseInt(line);
				if (count < 0) {
					return null;
				}
				List<@Nullable Object> items = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					items.add(readReply());
				}
				return items;
			}
			default:
				throw new IOException("Unexpected RESP type '" + (char) type + "'");
		}
	}

	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = this.in.read()) != '\r') {
			if (c == -1) {
				throw new IOException("Connection closed by server");
			}
			line.append((char) c);
		}
		this.in.read(); // '\n'
		return line.toString();
	}

	@Override
	public void close() {
		closeQuietly(this.socket);
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
	}

	/**
	 * An error reply ({@code -ERR ...}) from the server.
	 */
	public static final class RespErrorException extends RuntimeException {

		RespErrorException(String message) {
			super(message);
		}

	}

}
