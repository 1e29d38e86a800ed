package dev.haredis.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * One {@code redis-server} process, data node or sentinel, listening on 127.0.0.1. It can be killed, paused
 * (SIGSTOP), resumed and restarted on the same port with the same (possibly sentinel-rewritten) config file.
 */
public final class RedisProcess implements ClusterMember {

	private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

	static {
		// Last line of defence: never leave servers behind when a JVM exits without closing its topology.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
				"ha-redis-test-process-reaper"));
	}

	private final String name;

	private final boolean sentinel;

	private final int port;

	private final Path configFile;

	private final Path logFile;

	private final RedisServerBinary binary;

	private final @Nullable String password;

	private final @Nullable SSLSocketFactory tls;

	private final List<String> launchPrefix;

	private final @Nullable String sourceAddress;

	private volatile @Nullable Process process;

	/**
	 * Create a process, started through a command prefix (a cgroup of its own, for {@link LoopbackPartitions}) and
	 * driven by the test from a source address of its own when they are given.
	 */
	RedisProcess(String name, boolean sentinel, int port, Path configFile, RedisServerBinary binary,
			@Nullable String password, @Nullable SSLSocketFactory tls, List<String> launchPrefix,
			@Nullable String sourceAddress) {
		this.launchPrefix = List.copyOf(launchPrefix);
		this.sourceAddress = sourceAddress;
		this.name = name;
		this.sentinel = sentinel;
		this.port = port;
		this.configFile = configFile;
		this.logFile = configFile.resolveSibling(name + ".log");
		this.binary = binary;
		this.password = password;
		this.tls = tls;
	}

	/**
	 * Return the name given to this process, for example {@code replica-1}.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return whether this process runs in sentinel mode.
	 * @return whether it is a sentinel
	 */
	public boolean isSentinel() {
		return this.sentinel;
	}

	/**
	 * Return the port on 127.0.0.1.
	 * @return the port
	 */
	@Override
	public int port() {
		return this.port;
	}

	/**
	 * Return {@code 127.0.0.1:port}.
	 * @return the address
	 */
	public String address() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * Return the process id, or -1 when not running.
	 * @return the pid
	 */
	public long pid() {
		Process current = this.process;
		return (current != null && current.isAlive()) ? current.pid() : -1;
	}

	/**
	 * Return whether the process is running (a paused process is still running).
	 * @return whether it is alive
	 */
	public boolean isAlive() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	/**
	 * Start the process and wait until it answers {@code PING}.
	 */
	public synchronized void start() {
		if (isAlive()) {
			throw new IllegalStateException(this.name + " is already running");
		}
		List<String> command = new ArrayList<>(this.launchPrefix);
		command.addAll(List.of(this.binary.path().toString(), this.configFile.toString()));
		if (this.sentinel) {
			command.add("--sentinel");
		}
		try {
			Process started = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
			RUNNING.add(started);
			this.process = started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.name, ex);
		}
		awaitPing(Duration.ofSeconds(10));
	}

	private void awaitPing(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		RuntimeException last = null;
		while (System.nanoTime() < deadline) {
			if (!isAlive()) {
				throw new IllegalStateException(this.name + " exited during start-up:\n" + logTail());
			}
			try {
				if ("PONG".equals(command("PING"))) {
					return;
				}
			}
			catch (RuntimeException ex) {
				last = ex;
			}
			ProcessWait.pause(Duration.ofMillis(20));
		}
		throw new IllegalStateException(this.name + " did not answer PING within " + timeout + ":\n" + logTail(),
				last);
	}

	/**
	 * Kill the process with SIGKILL and wait for it to exit.
	 */
	public synchronized void kill() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		current.destroyForcibly();
		try {
			current.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		RUNNING.remove(current);
		this.process = null;
	}

	/**
	 * Freeze the process with SIGSTOP: it keeps its sockets open but answers nothing, like a stalled VM.
	 */
	public void freeze() {
		signal("STOP");
	}

	/**
	 * Resume a process frozen with {@link #freeze()} (SIGCONT).
	 */
	public void unfreeze() {
		signal("CONT");
	}

	private void signal(String signal) {
		long pid = pid();
		if (pid < 0) {
			throw new IllegalStateException(this.name + " is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Run one command on a new connection (authenticated when the process has a password).
	 * @param args the command and its arguments
	 * @return the reply, as {@link RespConnection#command(String...)} returns it
	 */
	@Override
	public @Nullable Object command(String... args) {
		return inSession((connection) -> connection.command(args));
	}

	/**
	 * Run one command in the given database (selected first), on a new connection.
	 * @param database the database index
	 * @param args the command and its arguments
	 * @return the reply
	 */
	public @Nullable Object commandInDatabase(int database, String... args) {
		return inSession((connection) -> {
			connection.command("SELECT", Integer.toString(database));
			return connection.command(args);
		});
	}

	/**
	 * Run commands on one new connection (authenticated when the process has a password), for what needs one
	 * connection: {@code WAIT} counts the writes of the connection it is sent on.
	 * @param <T> the result type
	 * @param session what to do with the connection
	 * @return what it returned
	 */
	@Override
	public <T> T inSession(Function<RespConnection, T> session) {
		try (RespConnection connection = RespConnection.open("127.0.0.1", this.port, Duration.ofSeconds(2), this.tls,
				this.sourceAddress)) {
			if (this.password != null) {
				connection.command("AUTH", this.password);
			}
			return session.apply(connection);
		}
	}

	/**
	 * Return the role this data node reports through {@code ROLE}: {@code master} or {@code slave}.
	 * @return the role
	 */
	public String role() {
		Object reply = command("ROLE");
		return String.valueOf(((List<?>) reply).get(0));
	}

	/**
	 * Return the last lines of this process's log, to explain a failure.
	 * @return the log tail
	 */
	public String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.logFile, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public String toString() {
		return this.name + "(" + address() + ")";
	}

}
