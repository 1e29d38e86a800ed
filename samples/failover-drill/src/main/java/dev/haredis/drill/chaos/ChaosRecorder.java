package dev.haredis.drill.chaos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import dev.haredis.drill.chaos.ChaosHistory.Fault;
import dev.haredis.drill.chaos.ChaosHistory.HealthSample;
import dev.haredis.drill.chaos.ChaosHistory.Missed;
import dev.haredis.drill.chaos.ChaosHistory.Resources;
import dev.haredis.drill.chaos.ChaosHistory.Task;
import dev.haredis.drill.chaos.ChaosHistory.Write;
import dev.haredis.drill.chaos.ChaosHistory.WriteKind;

/**
 * Records what happens during a chaos run, from any thread, on the run's clock (milliseconds since it started); at
 * the end, with what is read back from the final master, it becomes the {@link ChaosHistory} the checker judges.
 */
public final class ChaosRecorder {

	private final LongSupplier clock;

	private final List<Write> writes = new CopyOnWriteArrayList<>();

	private final List<Fault> faults = new CopyOnWriteArrayList<>();

	private final List<Task> tasks = new CopyOnWriteArrayList<>();

	private final Map<String, Integer> runs = new ConcurrentHashMap<>();

	private final Map<Long, Long> published = new ConcurrentHashMap<>();

	private final Set<Long> received = ConcurrentHashMap.newKeySet();

	private final List<Missed> missed = new CopyOnWriteArrayList<>();

	private final List<Long> readOnlyErrors = new CopyOnWriteArrayList<>();

	private final List<Long> verifiedSwitches = new CopyOnWriteArrayList<>();

	private final List<HealthSample> health = new CopyOnWriteArrayList<>();

	private final AtomicLong pending = new AtomicLong();

	/**
	 * Create a recorder.
	 * @param clock the run's clock, in milliseconds since it started
	 */
	public ChaosRecorder(LongSupplier clock) {
		this.clock = clock;
	}

	/**
	 * Return the run's time now.
	 * @return milliseconds since the run started
	 */
	public long now() {
		return this.clock.getAsLong();
	}

	/**
	 * An operation begins; {@link #completed()} must follow, whatever its outcome.
	 */
	public void started() {
		this.pending.incrementAndGet();
	}

	/**
	 * An operation begun with {@link #started()} returned or failed.
	 */
	public void completed() {
		this.pending.decrementAndGet();
	}

	/**
	 * A write returned.
	 * @param key its key
	 * @param kind how it was made
	 * @param acknowledged whether it was acknowledged (now), or failed
	 * @param error the error it failed with, or {@code null}
	 */
	public void wrote(String key, WriteKind kind, boolean acknowledged, @Nullable String error) {
		this.writes.add(new Write(key, kind, acknowledged ? now() : null));
		if (error != null && error.contains("READONLY")) {
			this.readOnlyErrors.add(now());
		}
	}

	/**
	 * A fault was healed.
	 * @param fault the fault, with when it began and when it was healed
	 */
	public void fault(Fault fault) {
		this.faults.add(fault);
	}

	/**
	 * A task enqueue returned.
	 * @param task the task
	 */
	public void enqueued(Task task) {
		this.tasks.add(task);
	}

	/**
	 * A handler ran a task.
	 * @param id the task id
	 */
	public void ran(String id) {
		this.runs.merge(id, 1, Integer::sum);
	}

	/**
	 * A pub/sub message was published.
	 * @param sequence its number
	 */
	public void published(long sequence) {
		this.published.put(sequence, now());
	}

	/**
	 * A pub/sub message arrived.
	 * @param sequence its number
	 */
	public void received(long sequence) {
		this.received.add(sequence);
	}

	/**
	 * The application said messages may have been missed.
	 * @param missed when it switched and when the subscriptions were back
	 */
	public void missed(Missed missed) {
		this.missed.add(missed);
	}

	/**
	 * The monitor verified a new master.
	 */
	public void verifiedSwitch() {
		this.verifiedSwitches.add(now());
	}

	/**
	 * The health status, sampled now.
	 * @param status the status
	 */
	public void health(String status) {
		this.health.add(new HealthSample(now(), status));
	}

	/**
	 * Return how many writes were acknowledged, for the progress line.
	 * @return the count
	 */
	public long acknowledgedWrites() {
		return this.writes.stream().filter((write) -> write.acknowledgedAt() != null).count();
	}

	/**
	 * Return the keys of every write, to look for on the final master.
	 * @return the keys
	 */
	public List<String> writtenKeys() {
		return this.writes.stream().map(Write::key).toList();
	}

	/**
	 * Return the history, with what was read back after the last heal.
	 * @param keysOnFinalMaster the written keys found on the final master
	 * @param start the resources at the start
	 * @param end the resources at the end
	 * @return the history
	 */
	public ChaosHistory history(Set<String> keysOnFinalMaster, Resources start, Resources end) {
		List<HealthSample> samples = new ArrayList<>(this.health);
		samples.sort((a, b) -> Long.compare(a.at(), b.at()));
		List<Fault> byStart = new ArrayList<>(this.faults);
		byStart.sort((a, b) -> Long.compare(a.start(), b.start()));
		return new ChaosHistory(List.copyOf(this.writes), new HashSet<>(keysOnFinalMaster), byStart,
				List.copyOf(this.tasks), new LinkedHashMap<>(this.runs), new LinkedHashMap<>(this.published),
				new HashSet<>(this.received), List.copyOf(this.missed), List.copyOf(this.readOnlyErrors),
				List.copyOf(this.verifiedSwitches), samples, this.pending.get(), start, end);
	}

}
