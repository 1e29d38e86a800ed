package dev.haredis.test.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import dev.haredis.test.history.HistoryRecord.Event;
import org.jspecify.annotations.Nullable;

/**
 * What a recording writes, as lines of the history: the header, faults, link changes, events (kept in memory too,
 * for {@link #awaitEvent}) and the poll answers that passed the {@link AnswerFilter}, each with how long it took
 * (whole milliseconds, not compared by the filter). Once {@link #stop() stopped},
 * it drops whatever the pollers still report.
 */
final class RecordingLog implements AutoCloseable {

	private final HistoryWriter writer;

	private final AnswerFilter filter = new AnswerFilter();

	private final List<Event> events = new ArrayList<>();

	private volatile boolean recording = true;

	/** Start the clock: the header is written at t = 0 of this log. */
	RecordingLog(Path output) {
		this.writer = new HistoryWriter(output);
	}

	long elapsedMillis() {
		return this.writer.elapsedMillis();
	}

	boolean isRecording() {
		return this.recording;
	}

	void header(Map<String, ?> fields) {
		this.writer.write("header", fields);
	}

	void fault(String description) {
		this.writer.write("fault", Map.of("description", description));
	}

	void sentinelReply(String sentinel, SentinelCommand command, @Nullable Object reply, long took) {
		Object json = AnswerFilter.sentinelReply(command, reply);
		if (this.recording && this.filter.shouldWrite(sentinel + " " + command, String.valueOf(json),
				AnswerFilter.comparable(command, json), elapsedMillis())) {
			Map<String, @Nullable Object> line = new LinkedHashMap<>();
			line.put("sentinel", sentinel);
			line.put("command", command.fileName());
			line.put("took", took);
			line.put("reply", json);
			this.writer.write("sentinel", line);
		}
	}

	void sentinelError(String sentinel, SentinelCommand command, String error, long took) {
		if (this.recording && this.filter.shouldWrite(sentinel + " " + command, "error " + error, "error " + error,
				elapsedMillis())) {
			Map<String, Object> line = new LinkedHashMap<>();
			line.put("sentinel", sentinel);
			line.put("command", command.fileName());
			line.put("took", took);
			line.put("error", error);
			this.writer.write("sentinel", line);
		}
	}

	void roleAnswer(String node, @Nullable List<?> role, @Nullable String error, long took) {
		Object answer = (role != null) ? role : "error " + error;
		Object comparable = (role != null) ? AnswerFilter.roleWithoutOffsets(role) : answer;
		if (this.recording && this.filter.shouldWrite("role " + node, answer, comparable, elapsedMillis())) {
			Map<String, @Nullable Object> line = new LinkedHashMap<>();
			line.put("node", node);
			line.put("took", took);
			if (role != null) {
				line.put("reply", role);
			}
			else {
				line.put("error", error);
			}
			this.writer.write("role", line);
		}
	}

	void link(String sentinel, boolean up, @Nullable String error) {
		if (!this.recording) {
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

	/** Write a {@code pmessage} push of a sentinel as an event; ignore any other push. */
	void event(String sentinel, List<?> message) {
		if (message.size() != 4 || !"pmessage".equals(message.get(0)) || !this.recording) {
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

	Optional<Event> awaitEvent(Predicate<Event> condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.events) {
			while (true) {
				Optional<Event> found = this.events.stream().filter(condition).findFirst();
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (found.isPresent() || left <= 0 || !this.recording) {
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

	List<Event> eventsSoFar() {
		synchronized (this.events) {
			return List.copyOf(this.events);
		}
	}

	/** Drop whatever is reported from now on and wake up those waiting for an event. */
	void stop() {
		this.recording = false;
		synchronized (this.events) {
			this.events.notifyAll();
		}
	}

	@Override
	public void close() {
		stop();
		this.writer.close();
	}

}
