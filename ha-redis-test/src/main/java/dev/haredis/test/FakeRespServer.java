package dev.haredis.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A tiny RESP2 server on 127.0.0.1 that records every command it receives ({@code HELLO} and {@code AUTH} included)
 * and answers through a {@link Responder}: a stand-in for a server the application must never talk to
 * ({@link #recorder()}), or for one that lies, such as a rogue sentinel ({@link #sentinel}). Connections are served
 * by daemon threads, at most {@value #MAX_CONNECTIONS} at a time (more are closed at once); {@link #close()} stops
 * everything.
 */
public final class FakeRespServer implements AutoCloseable {

	private static final int MAX_CONNECTIONS = 64;

	private final ServerSocket server;

	private final Responder responder;

	private final List<List<String>> commands = new CopyOnWriteArrayList<>();

	private final Set<Connection> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private FakeRespServer(Responder responder) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.responder = responder;
		Thread acceptor = new Thread(this::accept, "fake-resp-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a server that answers with the given responder.
	 * @param responder how to answer each command; {@code PSUBSCRIBE} and {@code SUBSCRIBE} are answered by the
	 * server itself
	 * @return the running server
	 */
	public static FakeRespServer start(Responder responder) {
		try {
			return new FakeRespServer(responder);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start a server that records what it is sent and refuses every command, as a node the application must not
	 * talk to.
	 * @return the running server
	 */
	public static FakeRespServer recorder() {
		return start((command) -> new ErrorReply("ERR this server records commands only"));
	}

	/**
	 * Start a server that answers like a sentinel monitoring one master at an address of its choice: {@code SENTINEL
	 * MYID}, {@code GET-MASTER-ADDR-BY-NAME}, {@code MASTER} (with the given configuration epoch), {@code REPLICAS},
	 * {@code SENTINELS}, {@code CKQUORUM}, {@code PING}, {@code PUBLISH} and the subscriptions. {@code HELLO} is
	 * refused as by a server before Redis 6, so clients speak RESP2.
	 * @param masterName the master name it answers for
	 * @param masterPort the port, on 127.0.0.1, of the master it names
	 * @param myId its run id
	 * @param configEpoch the configuration epoch it reports for the master
	 * @return the running server
	 */
	public static FakeRespServer sentinel(String masterName, int masterPort, String myId, long configEpoch) {
		return sentinel(masterName, masterPort, myId, configEpoch, List.of());
	}

	/**
	 * Start a server that answers like a sentinel, as {@link #sentinel(String, int, String, long)}, and lists the
	 * given replicas of the master, online, in {@code SENTINEL REPLICAS}.
	 * @param masterName the master name it answers for
	 * @param masterPort the port, on 127.0.0.1, of the master it names
	 * @param myId its run id
	 * @param configEpoch the configuration epoch it reports for the master
	 * @param replicaPorts the ports, on 127.0.0.1, of the replicas it lists
	 * @return the running server
	 */
	public static FakeRespServer sentinel(String masterName, int masterPort, String myId, long configEpoch,
			List<Integer> replicaPorts) {
		return start(new FakeSentinelResponder(masterName, masterPort, myId, configEpoch, replicaPorts));
	}

	/**
	 * Return the port it listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Return how many connections it accepted so far.
	 * @return the number of connections
	 */
	public int connections() {
		return this.accepted.get();
	}

	/**
	 * Return every command received so far, in order, with its arguments.
	 * @return the commands
	 */
	public List<List<String>> commands() {
		return List.copyOf(this.commands);
	}

	/**
	 * Return whether a command was received whose first words are the given ones (ignoring case).
	 * @param words the command and, optionally, its first arguments
	 * @return whether it was received
	 */
	public boolean received(String... words) {
		return this.commands.stream().anyMatch((command) -> FakeRespCodec.startsWith(command, words));
	}

	/**
	 * Send a message to every connection subscribed with {@code PSUBSCRIBE}, as a sentinel publishes its events.
	 * @param channel the channel, for example {@code +switch-master}
	 * @param message the message
	 * @return how many connections it was sent to
	 */
	public int publish(String channel, String message) {
		int sent = 0;
		for (Connection connection : this.open) {
			for (String pattern : connection.patterns) {
				if (connection.write(List.of("pmessage", pattern, channel, message))) {
					sent++;
				}
			}
		}
		return sent;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.accepted.incrementAndGet();
				if (this.open.size() >= MAX_CONNECTIONS) {
					socket.close();
					continue;
				}
				Connection connection = new Connection(socket);
				this.open.add(connection);
				Thread reader = new Thread(connection::serve, "fake-resp-" + port() + "-client");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	/**
	 * Stop listening and close every connection.
	 */
	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
		this.open.forEach(Connection::close);
	}

	/**
	 * How a fake server answers a command.
	 */
	@FunctionalInterface
	public interface Responder {

		/**
		 * Answer a command.
		 * @param command the command and its arguments
		 * @return a {@link String} (bulk string), {@link Long}, {@link List} of replies, {@link StatusReply},
		 * {@link ErrorReply} or {@code null} (null bulk string)
		 */
		@Nullable Object reply(List<String> command);

	}

	/**
	 * A simple string reply ({@code +OK}).
	 *
	 * @param text the text
	 */
	public record StatusReply(String text) {

	}

	/**
	 * An error reply ({@code -ERR ...}).
	 *
	 * @param text the text, starting with the error code
	 */
	public record ErrorReply(String text) {

	}

	private final class Connection {

		private final Socket socket;

		private final List<String> patterns = new CopyOnWriteArrayList<>();

		Connection(Socket socket) {
			this.socket = socket;
		}

		void serve() {
			try (Socket closing = this.socket) {
				InputStream in = new BufferedInputStream(closing.getInputStream());
				while (true) {
					List<String> command = FakeRespCodec.read(in);
					if (command == null) {
						return;
					}
					if (command.isEmpty()) {
						continue;
					}
					FakeRespServer.this.commands.add(List.copyOf(command));
					String name = command.get(0).toUpperCase(Locale.ROOT);
					if ("PSUBSCRIBE".equals(name) || "SUBSCRIBE".equals(name)) {
						for (String pattern : command.subList(1, command.size())) {
							if ("PSUBSCRIBE".equals(name)) {
								this.patterns.add(pattern);
							}
							write(List.of(name.toLowerCase(Locale.ROOT), pattern, (long) this.patterns.size()));
						}
					}
					else {
						write(FakeRespServer.this.responder.reply(command));
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// the client went away
			}
			finally {
				FakeRespServer.this.open.remove(this);
			}
		}

		synchronized boolean write(@Nullable Object reply) {
			try {
				ByteArrayOutputStream buffer = new ByteArrayOutputStream();
				FakeRespCodec.encode(reply, buffer);
				OutputStream out = this.socket.getOutputStream();
				out.write(buffer.toByteArray());
				out.flush();
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// nothing left to release
			}
		}

	}

}
