package dev.haredis.test.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.haredis.test.history.HistoryRecord.Event;
import dev.haredis.test.history.HistoryRecord.Fault;
import dev.haredis.test.history.HistoryRecord.Header;
import dev.haredis.test.history.HistoryRecord.Link;
import dev.haredis.test.history.HistoryRecord.RoleAnswer;
import dev.haredis.test.history.HistoryRecord.SentinelAnswer;

/**
 * A recorded sentinel history, read from the JSON-lines file a {@link SentinelHistoryRecorder} writes: typed
 * {@link HistoryRecord records} in time order, and the lookups a replay needs.
 *
 * <pre class="code">
 * SentinelHistory history = SentinelHistory.fromResource("sentinel-histories/7.0/kill.jsonl");
 * for (HistoryRecord.Event event : history.events()) { ... }
 * Optional&lt;SentinelAnswer&gt; master = history.sentinelAnswerAt(sentinel, SentinelCommand.MASTER, 4200);
 * </pre>
 */
public final class SentinelHistory {

	private final Header header;

	private final List<HistoryRecord> records;

	private final Map<String, List<SentinelAnswer>> sentinelAnswers = new HashMap<>();

	private final Map<String, List<RoleAnswer>> roleAnswers = new HashMap<>();

	private SentinelHistory(List<HistoryRecord> records) {
		if (records.isEmpty() || !(records.get(0) instanceof Header first)) {
			throw new IllegalArgumentException("A sentinel history starts with its header line");
		}
		this.header = first;
		List<HistoryRecord> sorted = new ArrayList<>(records);
		sorted.sort(Comparator.comparingLong(HistoryRecord::t)); // stable: lines of one millisecond keep their order
		this.records = List.copyOf(sorted);
		for (HistoryRecord record : this.records) {
			if (record instanceof SentinelAnswer answer) {
				this.sentinelAnswers.computeIfAbsent(answer.sentinel() + " " + answer.command(), (key) -> new ArrayList<>())
					.add(answer);
			}
			else if (record instanceof RoleAnswer answer) {
				this.roleAnswers.computeIfAbsent(answer.node(), (key) -> new ArrayList<>()).add(answer);
			}
		}
	}

	/**
	 * Read a history file.
	 * @param file the file
	 * @return the history
	 */
	public static SentinelHistory read(Path file) {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return read(reader, file.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + file, ex);
		}
	}

	/**
	 * Read a history from the class path, for example {@code sentinel-histories/6.2/kill.jsonl}.
	 * @param name the resource name, without a leading slash
	 * @return the history
	 */
	public static SentinelHistory fromResource(String name) {
		ClassLoader loader = Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(),
				SentinelHistory.class.getClassLoader());
		InputStream in = loader.getResourceAsStream(name);
		if (in == null) {
			throw new IllegalArgumentException("No sentinel history '" + name + "' on the class path");
		}
		try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
			return read(reader, name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + name, ex);
		}
	}

	/**
	 * Read a history from JSON lines.
	 * @param reader the lines
	 * @param source what they come from, for error messages
	 * @return the history
	 */
	public static SentinelHistory read(Reader reader, String source) {
		List<HistoryRecord> records = new ArrayList<>();
		BufferedReader lines = new BufferedReader(reader);
		int number = 0;
		try {
			String line;
			while ((line = lines.readLine()) != null) {
				number++;
				if (!line.isBlank()) {
					records.add(HistoryLines.parse(line));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + source, ex);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(source + ", line " + number + ": " + ex.getMessage(), ex);
		}
		try {
			return new SentinelHistory(records);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(source + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Return the header line.
	 * @return the header
	 */
	public Header header() {
		return this.header;
	}

	/**
	 * Return every record, header first, in time order.
	 * @return the records
	 */
	public List<HistoryRecord> records() {
		return this.records;
	}

	/**
	 * Return the events, in the order they were received.
	 * @return the events
	 */
	public List<Event> events() {
		return ofType(Event.class);
	}

	/**
	 * Return the fault markers the scenario wrote, in order.
	 * @return the faults
	 */
	public List<Fault> faults() {
		return ofType(Fault.class);
	}

	/**
	 * Return the subscription link changes, in order.
	 * @return the link changes
	 */
	public List<Link> links() {
		return ofType(Link.class);
	}

	/**
	 * Return every sentinel that appears in the history: those of the header, then those learned on the way.
	 * @return the sentinel addresses
	 */
	public Set<String> sentinels() {
		Set<String> sentinels = new LinkedHashSet<>(this.header.sentinels());
		this.records.forEach((record) -> {
			if (record instanceof SentinelAnswer answer) {
				sentinels.add(answer.sentinel());
			}
			else if (record instanceof Event event) {
				sentinels.add(event.sentinel());
			}
		});
		return sentinels;
	}

	/**
	 * Return the time of the last record.
	 * @return the duration of the recording in milliseconds
	 */
	public long duration() {
		return this.records.get(this.records.size() - 1).t();
	}

	/**
	 * Return the latest answer of a sentinel to a command recorded at or before {@code t}: what the sentinel would
	 * have answered at that time.
	 * @param sentinel the sentinel address
	 * @param command the command
	 * @param t the time in milliseconds since the start
	 * @return the answer, or empty when none was recorded by then
	 */
	public Optional<SentinelAnswer> sentinelAnswerAt(String sentinel, SentinelCommand command, long t) {
		return latestAt(this.sentinelAnswers.getOrDefault(sentinel + " " + command, List.of()), t);
	}

	/**
	 * Return the latest {@code ROLE} answer of a data node recorded at or before {@code t}.
	 * @param node the data node address
	 * @param t the time in milliseconds since the start
	 * @return the answer, or empty when none was recorded by then
	 */
	public Optional<RoleAnswer> roleAt(String node, long t) {
		return latestAt(this.roleAnswers.getOrDefault(node, List.of()), t);
	}

	private static <R extends HistoryRecord> Optional<R> latestAt(List<R> answers, long t) {
		int low = 0;
		int high = answers.size() - 1;
		int found = -1;
		while (low <= high) {
			int middle = (low + high) >>> 1;
			if (answers.get(middle).t() <= t) {
				found = middle;
				low = middle + 1;
			}
			else {
				high = middle - 1;
			}
		}
		return (found >= 0) ? Optional.of(answers.get(found)) : Optional.empty();
	}

	private <R extends HistoryRecord> List<R> ofType(Class<R> type) {
		return this.records.stream().filter(type::isInstance).map(type::cast).toList();
	}

	@Override
	public String toString() {
		return "SentinelHistory[" + this.header.scenario() + " on Redis " + this.header.redis() + ", "
				+ this.records.size() + " records over " + duration() + " ms]";
	}

}
