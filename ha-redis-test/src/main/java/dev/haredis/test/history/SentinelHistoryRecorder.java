package dev.haredis.test.history;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import javax.net.ssl.SSLSocketFactory;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;
import dev.haredis.test.RespConnection;
import dev.haredis.test.history.HistoryRecord.Event;
import org.jspecify.annotations.Nullable;

/**
 * Records what a live Sentinel topology says, with its timing, into a JSON-lines file that
 * {@link SentinelHistory} reads back: every sentinel's events ({@code PSUBSCRIBE *}), and, every poll interval,
 * each sentinel's answers to the {@link SentinelCommand commands} a topology monitor asks and each data node's
 * {@code ROLE}. Each source is polled by a thread of its own on a connection with a short timeout, so a dead or
 * frozen node only records its failure. A poll answer is written only when it changed (see {@link AnswerFilter}).
 * Recording stops by itself after the maximum duration, or on {@link #close()}.
 *
 * <pre class="code">
 * try (SentinelHistoryRecorder recorder = SentinelHistoryRecorder.builder("mymaster", Path.of("bug-1234.jsonl"))
 *         .sentinels(List.of("10.0.0.5:26379", "10.0.0.6:26379", "10.0.0.7:26379"))
 *         .scenario("bug-1234").maxDuration(Duration.ofMinutes(2)).start()) {
 *     recorder.fault("kill -9 master 10.0.0.8:6379");
 *     recorder.awaitEnd();
 * }
 * </pre>
 */
public final class SentinelHistoryRecorder implements AutoCloseable {

	private final Builder settings;

	private final HistoryWriter writer;

	private final AnswerFilter filter = new AnswerFilter();

	private final Set<String> sentinels = new LinkedHashSet<>();

	private final Set<String> dataNodes = new LinkedHashSet<>();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private final List<Event> events = new ArrayList<>();

	private volatile boolean running = true;

	private final Map<String, String> probed;

	private SentinelHistoryRecorder(Builder settings) {
		this.settings = settings;
		this.probed = probe(settings);
		// The clock starts here, so that the header is written at t = 0.
		this.writer = new HistoryWriter(settings.output);
	}

	/**
	 * Return a builder for a recording of the master {@code masterName} into {@code output}.
	 * @param masterName the master name the sentinels monitor
	 * @param output the JSON-lines file to write (replaced)
	 * @return a new builder
	 */
	public static Builder builder(String masterName, Path output) {
		return new Builder(masterName, output);
	}

	/**
	 * Return a builder for a recording of a {@link LocalSentinelTopology}: its master name, sentinels, data nodes
	 * and passwords.
	 * @param topology the topology
	 * @param output the JSON-lines file to write (replaced)
	 * @return a new builder
	 */
	public static Builder builder(LocalSentinelTopology topology, Path output) {
		Builder builder = new Builder(topology.masterName(), output).sentinels(topology.sentinelAddresses())
			.dataNodes(topology.servers().stream().map(RedisProcess::address).toList());
		builder.password = topology.password();
		builder.sentinelPassword = topology.sentinelPassword();
		return builder;
	}

	private void startRecording() {
		writeHeader();
		this.settings.sentinels.forEach(this::addSentinel);
		this.settings.dataNodes.forEach(this::addDataNode);
		Thread stopper = new Thread(() -> {
			awaitElapsed(this.settings.maxDuration.toMillis());
			stop();
		}, "history-recorder-deadline");
		stopper.setDaemon(true);
		stopper.start();
	}

	private void writeHeader() {
		Map<String, Object> header = new LinkedHashMap<>();
		Map<String, String> probed = this.probed;
		header.put("redis", Objects.requireNonNullElse(this.settings.redisVersion, probed.getOrDefault("redis", "")));
		header.put("scenario", this.settings.scenario);
		header.put("masterName", this.settings.masterName);
		header.put("sentinels", this.settings.sentinels);
		header.put("dataNodes", this.settings.dataNodes);
		header.put("downAfterMillis", Long.parseLong(probed.getOrDefault("down-after-milliseconds", "-1")));
		header.put("failoverTimeoutMillis", Long.parseLong(probed.getOrDefault("failover-timeout", "-1")));
		header.put("pollIntervalMillis", this.settings.pollInterval.toMillis());
		header.put("announcedAddresses", this.settings.announcedAddresses);
		header.put("notes", this.settings.notes);
		this.writer.write("header", header);
	}

	/** Ask the first sentinel that answers for its version and its settings for the master. */
	private static Map<String, String> probe(Builder settings) {
		for (String sentinel : settings.sentinels) {
			try (RespConnection connection = open(settings, sentinel, true, true)) {
				Map<String, String> found = new LinkedHashMap<>();
				for (String line : String.valueOf(connection.command("INFO", "server")).split("\r?\n")) {
					if (line.startsWith("redis_version:")) {
						found.put("redis", line.substring("redis_version:".length()).trim());
					}
				}
				List<?> master = (List<?>) Objects.requireNonNull(connection.command("SENTINEL", "MASTER",
						settings.masterName));
				for (int i = 0; i + 1 < master.size(); i += 2) {
					found.put(String.valueOf(master.get(i)), String.valueOf(master.get(i + 1)));
				}
				return found;
			}
			catch (RuntimeException ex) {
				// try the next sentinel
			}
		}
		return Map.of();
	}

	/**
	 * Write a fault marker, for example {@code kill -9 master 127.0.0.1:6380}, or its repair ({@code restore ...}).
	 * @param description what the scenario did
	 */
	public void fault(String description) {
		this.writer.write("fault", Map.of("description", description));
	}

	/**
	 * Return the milliseconds since the recording started (the {@code t} of a line written now).
	 * @return the elapsed time
	 */
	public long elapsedMillis() {
		return this.writer.elapsedMillis();
	}

	/**
	 * Return whether the recorder still records (it stops at its maximum duration or on {@link #close()}).
	 * @return whether it is recording
	 */
	public boolean isRecording() {
		return this.running;
	}

	/**
	 * Keep recording for a while: return once {@code duration} more has elapsed, or recording stopped.
	 * @param duration how long to record
	 */
	public void recordFor(Duration duration) {
		awaitElapsed(elapsedMillis() + duration.toMillis());
	}

	/**
	 * Block until the maximum duration is reached.
	 */
	public void awaitEnd() {
		awaitElapsed(this.settings.maxDuration.toMillis());
	}

	/**
	 * Wait until a sentinel publishes an event on {@code channel} (received after this call or before it, at or
	 * after {@code since}).
	 * @param channel the event type, for example {@code +switch-master}
	 * @param since the earliest receive time (milliseconds since the start) to accept
	 * @param timeout how long to wait
	 * @return the event
	 * @throws IllegalStateException when no such event arrives in time
	 */
	public Event awaitEvent(String channel, long since, Duration timeout) {
		return awaitEvent((event) -> event.channel().equals(channel) && event.t() >= since, timeout)
			.orElseThrow(() -> new IllegalStateException("No " + channel + " event within " + timeout + "; events: "
					+ eventsSoFar()));
	}

	/**
	 * Wait until a sentinel publishes an event that matches.
	 * @param condition what to wait for
	 * @param timeout how long to wait
	 * @return the first matching event, or empty when none arrived in time
	 */
	public Optional<Event> awaitEvent(Predicate<Event> condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.events) {
			while (true) {
				Optional<Event> found = this.events.stream().filter(condition).findFirst();
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (found.isPresent() || left <= 0 || !this.running) {
					return found;
				}
				try {
					this.events.wait(Math.min(left, 100));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return found;
				}
			}
		}
	}

	/**
	 * Return the events received so far.
	 * @return the events, in order
	 */
	public List<Event> eventsSoFar() {
		synchronized (this.events) {
			return List.copyOf(this.events);
		}
	}

	private void awaitElapsed(long millis) {
		while (this.running && elapsedMillis() < millis) {
			pause(Math.min(50, millis - elapsedMillis()));
		}
	}

	private synchronized void addSentinel(String address) {
		if (this.running && this.sentinels.add(address)) {
			startThread("history-sentinel-" + address, () -> pollSentinel(address));
			startThread("history-events-" + address, () -> subscribe(address));
		}
	}

	private synchronized void addDataNode(String address) {
		if (this.running && this.dataNodes.add(address)) {
			startThread("history-role-" + address, () -> pollRole(address));
		}
	}

	private void startThread(String name, Runnable loop) {
		Thread thread = new Thread(loop, name);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	private void pollSentinel(String sentinel) {
		RespConnection connection = null;
		while (this.running) {
			long started = System.nanoTime();
			String failure = null;
			for (SentinelCommand command : SentinelCommand.inPollOrder()) {
				if (failure != null) {
					sentinelError(sentinel, command, failure);
					continue;
				}
				try {
					if (connection == null) {
						connection = open(sentinel, true, false);
					}
					Object reply = connection.command(command.arguments(this.settings.masterName));
					sentinelReply(sentinel, command, reply);
					learn(command, reply);
				}
				catch (RespConnection.RespErrorException ex) {
					sentinelError(sentinel, command, String.valueOf(ex.getMessage()));
				}
				catch (RuntimeException ex) {
					failure = describe(ex);
					closeQuietly(connection);
					connection = null;
					sentinelError(sentinel, command, failure);
				}
			}
			pauseUntil(started);
		}
		closeQuietly(connection);
	}

	private void sentinelReply(String sentinel, SentinelCommand command, @Nullable Object reply) {
		Object json = AnswerFilter.sentinelReply(command, reply);
		if (this.running && this.filter.shouldWrite(sentinel + " " + command, String.valueOf(json),
				AnswerFilter.comparable(command, json), elapsedMillis())) {
			Map<String, @Nullable Object> line = new LinkedHashMap<>();
			line.put("sentinel", sentinel);
			line.put("command", command.fileName());
			line.put("reply", json);
			this.writer.write("sentinel", line);
		}
	}

	private void sentinelError(String sentinel, SentinelCommand command, String error) {
		if (this.running && this.filter.shouldWrite(sentinel + " " + command, "error " + error, "error " + error,
				elapsedMillis())) {
			Map<String, Object> line = new LinkedHashMap<>();
			line.put("sentinel", sentinel);
			line.put("command", command.fileName());
			line.put("error", error);
			this.writer.write("sentinel", line);
		}
	}

	/** Follow the sentinels and data nodes the sentinels name, as a monitor would. */
	private void learn(SentinelCommand command, @Nullable Object reply) {
		if (!this.settings.followLearnedNodes || reply == null) {
			return;
		}
		if (command == SentinelCommand.GET_MASTER_ADDR) {
			List<?> address = (List<?>) reply;
			addDataNode(realAddress(address.get(0) + ":" + address.get(1)));
		}
		else if (command == SentinelCommand.REPLICAS || command == SentinelCommand.SENTINELS) {
			for (Map<String, Object> entry : entries(reply)) {
				String address = realAddress(entry.get("ip") + ":" + entry.get("port"));
				if (command == SentinelCommand.SENTINELS) {
					addSentinel(address);
				}
				else {
					addDataNode(address);
				}
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> entries(Object reply) {
		return (List<Map<String, Object>>) Objects.requireNonNull(AnswerFilter.sentinelReply(SentinelCommand.REPLICAS,
				reply));
	}

	private String realAddress(String announced) {
		return this.settings.announcedAddresses.getOrDefault(announced, announced);
	}

	private void pollRole(String node) {
		RespConnection connection = null;
		while (this.running) {
			long started = System.nanoTime();
			try {
				if (connection == null) {
					connection = open(node, false, false);
				}
				List<?> role = (List<?>) Objects.requireNonNull(connection.command("ROLE"));
				roleAnswer(node, role, null);
			}
			catch (RespConnection.RespErrorException ex) {
				roleAnswer(node, null, String.valueOf(ex.getMessage()));
			}
			catch (RuntimeException ex) {
				closeQuietly(connection);
				connection = null;
				roleAnswer(node, null, describe(ex));
			}
			pauseUntil(started);
		}
		closeQuietly(connection);
	}

	private void roleAnswer(String node, @Nullable List<?> role, @Nullable String error) {
		Object answer = (role != null) ? role : "error " + error;
		Object comparable = (role != null) ? AnswerFilter.roleWithoutOffsets(role) : answer;
		if (this.running && this.filter.shouldWrite("role " + node, answer, comparable, elapsedMillis())) {
			Map<String, @Nullable Object> line = new LinkedHashMap<>();
			line.put("node", node);
			if (role != null) {
				line.put("reply", role);
			}
			else {
				line.put("error", error);
			}
			this.writer.write("role", line);
		}
	}

	private void subscribe(String sentinel) {
		Boolean up = null;
		while (this.running) {
			try (RespConnection connection = open(sentinel, true, false)) {
				connection.command("PSUBSCRIBE", "*");
				if (!Boolean.TRUE.equals(up)) {
					link(sentinel, true, null);
					up = true;
				}
				while (this.running) {
					connection.awaitPush().ifPresent((message) -> event(sentinel, (List<?>) message));
				}
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					return;
				}
				if (!Boolean.FALSE.equals(up)) {
					link(sentinel, false, describe(ex));
					up = false;
				}
				pause(this.settings.pollInterval.toMillis());
			}
		}
	}

	private void link(String sentinel, boolean up, @Nullable String error) {
		if (!this.running) {
			return;
		}
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("sentinel", sentinel);
		line.put("state", up ? "up" : "down");
		if (error != null) {
			line.put("error", error);
		}
		this.writer.write("link", line);
	}

	private void event(String sentinel, List<?> message) {
		if (message.size() != 4 || !"pmessage".equals(message.get(0)) || !this.running) {
			return;
		}
		String channel = String.valueOf(message.get(2));
		String text = String.valueOf(message.get(3));
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("sentinel", sentinel);
		line.put("channel", channel);
		line.put("message", text);
		synchronized (this.events) {
			// Under the lock, so that the in-memory order is the order in the file.
			long t = this.writer.write("event", line);
			this.events.add(new Event(t, sentinel, channel, text));
			this.events.notifyAll();
		}
	}

	private RespConnection open(String address, boolean sentinel, boolean probe) {
		return open(this.settings, address, sentinel, probe);
	}

	private static RespConnection open(Builder settings, String address, boolean sentinel, boolean probe) {
		int colon = address.lastIndexOf(':');
		String host = address.substring(0, colon);
		int port = Integer.parseInt(address.substring(colon + 1));
		Duration timeout = probe ? Duration.ofSeconds(2) : settings.socketTimeout;
		RespConnection connection = RespConnection.open(host, port, timeout,
				sentinel ? settings.sentinelTls : settings.dataTls);
		String password = sentinel ? settings.sentinelPassword : settings.password;
		if (password != null) {
			try {
				connection.command("AUTH", password);
			}
			catch (RespConnection.RespErrorException ex) {
				connection.close();
				throw new IllegalStateException("AUTH failed: " + ex.getMessage(), ex);
			}
			catch (RuntimeException ex) {
				// a timeout or a lost connection, described as such
				connection.close();
				throw ex;
			}
		}
		return connection;
	}

	/** A short, stable description of a failure, so that repeated failures are recorded once. */
	static String describe(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return "timeout";
			}
			if (cause instanceof ConnectException) {
				return "connection refused";
			}
			if (cause instanceof SocketException && cause.getMessage() != null) {
				return cause.getMessage().toLowerCase(Locale.ROOT);
			}
			if ("Connection closed by server".equals(cause.getMessage())) {
				return "connection closed";
			}
			if (cause instanceof IllegalStateException && cause.getMessage() != null
					&& cause.getMessage().startsWith("AUTH failed")) {
				return cause.getMessage();
			}
		}
		return failure.getClass().getSimpleName() + ": " + failure.getMessage();
	}

	private void pauseUntil(long startedNanos) {
		long left = (startedNanos + this.settings.pollInterval.toNanos() - System.nanoTime()) / 1_000_000;
		if (left > 0) {
			pause(left);
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(Math.max(1, millis));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void closeQuietly(@Nullable RespConnection connection) {
		if (connection != null) {
			connection.close();
		}
	}

	private void stop() {
		this.running = false;
		synchronized (this.events) {
			this.events.notifyAll();
		}
	}

	/**
	 * Stop recording: stop every thread and close the file.
	 */
	@Override
	public void close() {
		stop();
		for (Thread thread : this.threads) {
			try {
				thread.join(this.settings.socketTimeout.toMillis() * 3 + this.settings.pollInterval.toMillis() + 1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.writer.close();
	}

	/**
	 * Settings for a {@link SentinelHistoryRecorder}.
	 */
	public static final class Builder {

		private final String masterName;

		private final Path output;

		private List<String> sentinels = List.of();

		private List<String> dataNodes = List.of();

		private String scenario = "recording";

		private String notes = "";

		private @Nullable String redisVersion;

		private Duration pollInterval = Duration.ofMillis(100);

		private Duration socketTimeout = Duration.ofMillis(200);

		private Duration maxDuration = Duration.ofMinutes(2);

		private Map<String, String> announcedAddresses = Map.of();

		private boolean followLearnedNodes = true;

		private @Nullable String password;

		private @Nullable String sentinelPassword;

		private @Nullable SSLSocketFactory dataTls;

		private @Nullable SSLSocketFactory sentinelTls;

		private Builder(String masterName, Path output) {
			this.masterName = masterName;
			this.output = output;
		}

		/**
		 * Set the sentinels to record ({@code host:port}).
		 * @param sentinels the sentinel addresses
		 * @return this builder
		 */
		public Builder sentinels(List<String> sentinels) {
			this.sentinels = List.copyOf(sentinels);
			return this;
		}

		/**
		 * Set the data nodes to ask {@code ROLE} ({@code host:port}); the sentinels name the others.
		 * @param dataNodes the data node addresses
		 * @return this builder
		 */
		public Builder dataNodes(List<String> dataNodes) {
			this.dataNodes = List.copyOf(dataNodes);
			return this;
		}

		/**
		 * Set the scenario name written in the header, for example {@code kill}.
		 * @param scenario the scenario
		 * @return this builder
		 */
		public Builder scenario(String scenario) {
			this.scenario = scenario;
			return this;
		}

		/**
		 * Set free text for the header: how the topology was set up, what to look for.
		 * @param notes the notes
		 * @return this builder
		 */
		public Builder notes(String notes) {
			this.notes = notes;
			return this;
		}

		/**
		 * Set the Redis version for the header instead of asking the sentinels ({@code INFO server}).
		 * @param redisVersion the version
		 * @return this builder
		 */
		public Builder redisVersion(String redisVersion) {
			this.redisVersion = redisVersion;
			return this;
		}

		/**
		 * Set how often every node is asked (default 100 ms).
		 * @param pollInterval the poll interval
		 * @return this builder
		 */
		public Builder pollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
			return this;
		}

		/**
		 * Set the connect and read timeout of every command (default 200 ms): a frozen node records
		 * {@code timeout}.
		 * @param socketTimeout the timeout
		 * @return this builder
		 */
		public Builder socketTimeout(Duration socketTimeout) {
			this.socketTimeout = socketTimeout;
			return this;
		}

		/**
		 * Set how long the recording may last at most (default 2 minutes); it stops by itself then.
		 * @param maxDuration the maximum duration
		 * @return this builder
		 */
		public Builder maxDuration(Duration maxDuration) {
			this.maxDuration = maxDuration;
			return this;
		}

		/**
		 * Map addresses the nodes announce (NAT, Docker) to the addresses where they listen: the recorder connects
		 * to the latter, and the header keeps the map.
		 * @param announcedAddresses announced {@code host:port} to real {@code host:port}
		 * @return this builder
		 */
		public Builder announcedAddresses(Map<String, String> announcedAddresses) {
			this.announcedAddresses = Map.copyOf(announcedAddresses);
			return this;
		}

		/**
		 * Set whether the sentinels and data nodes the sentinels name are recorded too, from the time they are
		 * first named (default true).
		 * @param followLearnedNodes whether to follow learned nodes
		 * @return this builder
		 */
		public Builder followLearnedNodes(boolean followLearnedNodes) {
			this.followLearnedNodes = followLearnedNodes;
			return this;
		}

		/**
		 * Set the data nodes' password.
		 * @param password the password
		 * @return this builder
		 */
		public Builder password(@Nullable String password) {
			this.password = password;
			return this;
		}

		/**
		 * Set the sentinels' password.
		 * @param sentinelPassword the password
		 * @return this builder
		 */
		public Builder sentinelPassword(@Nullable String sentinelPassword) {
			this.sentinelPassword = sentinelPassword;
			return this;
		}

		/**
		 * Reach the data nodes over TLS.
		 * @param dataTls the socket factory
		 * @return this builder
		 */
		public Builder dataTls(@Nullable SSLSocketFactory dataTls) {
			this.dataTls = dataTls;
			return this;
		}

		/**
		 * Reach the sentinels over TLS.
		 * @param sentinelTls the socket factory
		 * @return this builder
		 */
		public Builder sentinelTls(@Nullable SSLSocketFactory sentinelTls) {
			this.sentinelTls = sentinelTls;
			return this;
		}

		/**
		 * Write the header and start recording.
		 * @return the running recorder
		 */
		public SentinelHistoryRecorder start() {
			if (this.sentinels.isEmpty()) {
				throw new IllegalStateException("A recording needs at least one sentinel address");
			}
			SentinelHistoryRecorder recorder = new SentinelHistoryRecorder(this);
			try {
				recorder.startRecording();
				return recorder;
			}
			catch (RuntimeException ex) {
				recorder.close();
				throw ex;
			}
		}

	}

}
