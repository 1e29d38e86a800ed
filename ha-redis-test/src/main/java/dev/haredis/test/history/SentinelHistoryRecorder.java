package dev.haredis.test.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;
import dev.haredis.test.history.HistoryRecord.Event;

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

	private final RecorderSettings settings;

	private final RecordingLog log;

	private final NodePollers pollers;

	private final Map<String, String> probed;

	private SentinelHistoryRecorder(RecorderSettings settings) {
		this.settings = settings;
		this.probed = NodeConnections.probe(settings);
		// The clock starts here, so that the header is written at t = 0.
		this.log = new RecordingLog(settings.output());
		this.pollers = new NodePollers(settings, this.log);
	}

	/**
	 * Return a builder for a recording of the master {@code masterName} into {@code output}.
	 * @param masterName the master name the sentinels monitor
	 * @param output the JSON-lines file to write (replaced)
	 * @return a new builder
	 */
	public static SentinelHistoryRecorderBuilder builder(String masterName, Path output) {
		return new SentinelHistoryRecorderBuilder(masterName, output);
	}

	/**
	 * Return a builder for a recording of a {@link LocalSentinelTopology}: its master name, sentinels, data nodes
	 * and passwords.
	 * @param topology the topology
	 * @param output the JSON-lines file to write (replaced)
	 * @return a new builder
	 */
	public static SentinelHistoryRecorderBuilder builder(LocalSentinelTopology topology, Path output) {
		return new SentinelHistoryRecorderBuilder(topology.masterName(), output)
			.sentinels(topology.sentinelAddresses())
			.dataNodes(topology.servers().stream().map(RedisProcess::address).toList())
			.password(topology.password())
			.sentinelPassword(topology.sentinelPassword());
	}

	/** Write the header, start the pollers and the deadline; on failure, stop what started. */
	static SentinelHistoryRecorder start(RecorderSettings settings) {
		SentinelHistoryRecorder recorder = new SentinelHistoryRecorder(settings);
		try {
			recorder.log.header(recorder.header());
			recorder.pollers.start();
			Thread stopper = new Thread(() -> {
				recorder.awaitElapsed(settings.maxDuration().toMillis());
				recorder.log.stop();
			}, "history-recorder-deadline");
			stopper.setDaemon(true);
			stopper.start();
			return recorder;
		}
		catch (RuntimeException ex) {
			recorder.close();
			throw ex;
		}
	}

	private Map<String, Object> header() {
		Map<String, Object> header = new LinkedHashMap<>();
		Map<String, String> probed = this.probed;
		header.put("redis", Objects.requireNonNullElse(this.settings.redisVersion(), probed.getOrDefault("redis", "")));
		header.put("scenario", this.settings.scenario());
		header.put("masterName", this.settings.masterName());
		header.put("sentinels", this.settings.sentinels());
		header.put("dataNodes", this.settings.dataNodes());
		header.put("downAfterMillis", Long.parseLong(probed.getOrDefault("down-after-milliseconds", "-1")));
		header.put("failoverTimeoutMillis", Long.parseLong(probed.getOrDefault("failover-timeout", "-1")));
		header.put("pollIntervalMillis", this.settings.pollInterval().toMillis());
		header.put("announcedAddresses", this.settings.announcedAddresses());
		header.put("notes", this.settings.notes());
		return header;
	}

	/**
	 * Write a fault marker, for example {@code kill -9 master 127.0.0.1:6380}, or its repair ({@code restore ...}).
	 * @param description what the scenario did
	 */
	public void fault(String description) {
		this.log.fault(description);
	}

	/**
	 * Return the milliseconds since the recording started (the {@code t} of a line written now).
	 * @return the elapsed time
	 */
	public long elapsedMillis() {
		return this.log.elapsedMillis();
	}

	/**
	 * Return whether the recorder still records (it stops at its maximum duration or on {@link #close()}).
	 * @return whether it is recording
	 */
	public boolean isRecording() {
		return this.log.isRecording();
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
		awaitElapsed(this.settings.maxDuration().toMillis());
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
		return this.log.awaitEvent(condition, timeout);
	}

	/**
	 * Return the events received so far.
	 * @return the events, in order
	 */
	public List<Event> eventsSoFar() {
		return this.log.eventsSoFar();
	}

	private void awaitElapsed(long millis) {
		while (this.log.isRecording() && elapsedMillis() < millis) {
			NodePollers.pause(Math.min(50, millis - elapsedMillis()));
		}
	}

	/**
	 * Stop recording: stop every thread and close the file.
	 */
	@Override
	public void close() {
		this.log.stop();
		this.pollers.join();
		this.log.close();
	}

}
