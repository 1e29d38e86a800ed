package dev.haredis.test.history;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.haredis.test.RespConnection;
import org.jspecify.annotations.Nullable;

import static dev.haredis.test.history.NodeConnections.closeQuietly;
import static dev.haredis.test.history.NodeConnections.describe;

/**
 * The recorder's threads, one per source: for each sentinel a poller of the {@link SentinelCommand commands} and a
 * subscriber to its events, for each data node a poller of {@code ROLE}. Each runs until the {@link RecordingLog}
 * stops recording and reports what it hears to that log. Sentinels and data nodes that the sentinels name are
 * followed from then on, when the settings ask for it.
 */
final class NodePollers {

	private final RecorderSettings settings;

	private final RecordingLog log;

	private final Set<String> sentinels = new LinkedHashSet<>();

	private final Set<String> dataNodes = new LinkedHashSet<>();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	NodePollers(RecorderSettings settings, RecordingLog log) {
		this.settings = settings;
		this.log = log;
	}

	/** Start polling the sentinels and data nodes of the settings. */
	void start() {
		this.settings.sentinels().forEach(this::addSentinel);
		this.settings.dataNodes().forEach(this::addDataNode);
	}

	private synchronized void addSentinel(String address) {
		if (this.log.isRecording() && this.sentinels.add(address)) {
			startThread("history-sentinel-" + address, () -> pollSentinel(address));
			startThread("history-events-" + address, () -> subscribe(address));
		}
	}

	private synchronized void addDataNode(String address) {
		if (this.log.isRecording() && this.dataNodes.add(address)) {
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
		while (this.log.isRecording()) {
			long started = System.nanoTime();
			String failure = null;
			for (SentinelCommand command : SentinelCommand.inPollOrder()) {
				if (failure != null) {
					// not sent: the connection just failed
					this.log.sentinelError(sentinel, command, failure, 0);
					continue;
				}
				long sent = System.nanoTime();
				try {
					if (connection == null) {
						connection = NodeConnections.open(this.settings, sentinel, true);
					}
					Object reply = connection.command(command.arguments(this.settings.masterName()));
					this.log.sentinelReply(sentinel, command, reply, millisSince(sent));
					learn(command, reply);
				}
				catch (RespConnection.RespErrorException ex) {
					this.log.sentinelError(sentinel, command, String.valueOf(ex.getMessage()), millisSince(sent));
				}
				catch (RuntimeException ex) {
					failure = describe(ex);
					long took = millisSince(sent);
					closeQuietly(connection);
					connection = null;
					this.log.sentinelError(sentinel, command, failure, took);
				}
			}
			pauseUntil(started);
		}
		closeQuietly(connection);
	}

	/** Follow the sentinels and data nodes the sentinels name, as a monitor would. */
	private void learn(SentinelCommand command, @Nullable Object reply) {
		if (!this.settings.followLearnedNodes() || reply == null) {
			return;
		}
		if (command == SentinelCommand.GET_MASTER_ADDR) {
			List<?> address = (List<?>) reply;
			addDataNode(this.settings.realAddress(address.get(0) + ":" + address.get(1)));
		}
		else if (command == SentinelCommand.REPLICAS || command == SentinelCommand.SENTINELS) {
			for (Map<String, Object> entry : entries(reply)) {
				String address = this.settings.realAddress(entry.get("ip") + ":" + entry.get("port"));
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

	private void pollRole(String node) {
		RespConnection connection = null;
		while (this.log.isRecording()) {
			long started = System.nanoTime();
			try {
				if (connection == null) {
					connection = NodeConnections.open(this.settings, node, false);
				}
				List<?> role = (List<?>) Objects.requireNonNull(connection.command("ROLE"));
				this.log.roleAnswer(node, role, null, millisSince(started));
			}
			catch (RespConnection.RespErrorException ex) {
				this.log.roleAnswer(node, null, String.valueOf(ex.getMessage()), millisSince(started));
			}
			catch (RuntimeException ex) {
				long took = millisSince(started);
				closeQuietly(connection);
				connection = null;
				this.log.roleAnswer(node, null, describe(ex), took);
			}
			pauseUntil(started);
		}
		closeQuietly(connection);
	}

	private void subscribe(String sentinel) {
		Boolean up = null;
		while (this.log.isRecording()) {
			try (RespConnection connection = NodeConnections.open(this.settings, sentinel, true)) {
				connection.command("PSUBSCRIBE", "*");
				if (!Boolean.TRUE.equals(up)) {
					this.log.link(sentinel, true, null);
					up = true;
				}
				while (this.log.isRecording()) {
					connection.awaitPush().ifPresent((message) -> this.log.event(sentinel, (List<?>) message));
				}
			}
			catch (RuntimeException ex) {
				if (!this.log.isRecording()) {
					return;
				}
				if (!Boolean.FALSE.equals(up)) {
					this.log.link(sentinel, false, describe(ex));
					up = false;
				}
				pause(this.settings.pollInterval().toMillis());
			}
		}
	}

	/** Whole milliseconds since {@code nanos} ({@link System#nanoTime()}), rounded down. */
	private static long millisSince(long nanos) {
		return (System.nanoTime() - nanos) / 1_000_000;
	}

	private void pauseUntil(long startedNanos) {
		long left = (startedNanos + this.settings.pollInterval().toNanos() - System.nanoTime()) / 1_000_000;
		if (left > 0) {
			pause(left);
		}
	}

	static void pause(long millis) {
		try {
			Thread.sleep(Math.max(1, millis));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Wait for every thread to end, each bounded by what one poll round can take; call after the log stopped. */
	void join() {
		long bound = this.settings.socketTimeout().toMillis() * 3 + this.settings.pollInterval().toMillis() + 1000;
		for (Thread thread : this.threads) {
			try {
				thread.join(bound);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
