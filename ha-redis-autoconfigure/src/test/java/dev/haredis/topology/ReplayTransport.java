package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.haredis.test.history.HistoryRecord;
import dev.haredis.test.history.SentinelCommand;
import dev.haredis.test.history.SentinelHistory;

/**
 * A {@link TopologyTransport} that plays a recorded sentinel history on a virtual clock: the real
 * {@link SentinelTopology} runs against it. Events arrive at the time they were received; a sentinel or a node asked
 * something answers what it had answered by then, after the time the answer takes (a timeout takes the whole
 * timeout, so checks overlap the events as they did live). Everything runs on the caller's thread, one task at a
 * time, in time order: the "topology thread" is the loop in {@link #await} and {@link #runUntil}.
 */
final class ReplayTransport implements TopologyTransport {

	static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	/** The least an answer takes. */
	private static final long ANSWER_MILLIS = 1;

	private final SentinelHistory history;

	private final AnnouncedAddresses addresses;

	private final Duration timeout;

	private final PriorityQueue<Task> queue = new PriorityQueue<>();

	private final List<NodeAddress> followed = new ArrayList<>();

	private final List<NodeAddress> learned = new ArrayList<>();

	private final List<Timed<NodeAddress>> rolesAsked = new ArrayList<>();

	private final List<Timed<NodeAddress>> probes = new ArrayList<>();

	private final List<Timed<NodeAddress>> probesClosed = new ArrayList<>();

	private long now;

	private long sequence;

	private boolean inLoop;

	private boolean closed;

	private boolean callersMustNotWait;

	ReplayTransport(SentinelHistory history, AnnouncedAddresses addresses, Duration timeout) {
		this.history = history;
		this.addresses = addresses;
		this.timeout = timeout;
	}

	SentinelHistory history() {
		return this.history;
	}

	/** Make the callers of the topology threads that must not wait (a Netty event loop), or not. */
	void callersMustNotWait(boolean mustNotWait) {
		this.callersMustNotWait = mustNotWait;
	}

	/** Whether a task (a discovery, an answer) is due at the current time or later. */
	boolean pending() {
		return !this.queue.isEmpty();
	}

	long elapsed() {
		return this.now;
	}

	List<NodeAddress> followed() {
		return this.followed;
	}

	List<NodeAddress> learned() {
		return this.learned;
	}

	List<Timed<NodeAddress>> rolesAsked() {
		return this.rolesAsked;
	}

	List<Timed<NodeAddress>> probes() {
		return this.probes;
	}

	List<Timed<NodeAddress>> probesClosed() {
		return this.probesClosed;
	}

	/** Run every task due until the given time of the recording, then stop the clock there. */
	void runUntil(long t) {
		while (!this.queue.isEmpty() && this.queue.peek().t() <= t) {
			runNext();
		}
		this.now = Math.max(this.now, t);
	}

	private void runNext() {
		Task task = this.queue.poll();
		this.now = Math.max(this.now, task.t());
		if (task.cancelled[0] || this.closed) {
			return;
		}
		boolean outer = this.inLoop;
		this.inLoop = true;
		try {
			task.action().run();
		}
		finally {
			this.inLoop = outer;
		}
	}

	@Override
	public Instant now() {
		return START.plusMillis(this.now);
	}

	@Override
	public void execute(Runnable task) {
		at(this.now, task);
	}

	@Override
	public Scheduled schedule(Duration delay, Runnable task) {
		Task scheduled = at(this.now + millis(delay), task);
		return () -> scheduled.cancelled[0] = true;
	}

	@Override
	public <T> T await(CompletableFuture<T> future, Duration limit) throws ExecutionException, TimeoutException {
		long deadline = this.now + millis(limit);
		while (!future.isDone() && !this.queue.isEmpty() && this.queue.peek().t() <= deadline) {
			runNext();
		}
		if (!future.isDone()) {
			this.now = Math.max(this.now, deadline);
			throw new TimeoutException("Not done at " + this.now + "ms of the recording");
		}
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public boolean inTopologyThread() {
		return this.inLoop;
	}

	@Override
	public boolean mustNotWait() {
		return this.callersMustNotWait && !this.inLoop;
	}

	@Override
	public SentinelFeed follow(NodeAddress sentinel, boolean learnedSentinel, @Nullable String announcedId,
			Consumer<SentinelEvent> events) {
		this.followed.add(sentinel);
		if (learnedSentinel) {
			this.learned.add(sentinel);
		}
		boolean[] open = { true };
		for (HistoryRecord.Event event : this.history.events()) {
			if (event.t() > this.now && event.sentinel().equals(sentinel.toString())) {
				at(event.t(), () -> {
					if (open[0]) {
						events.accept(SentinelEvent.parse(event.channel(), event.message(), sentinel, now()));
					}
				});
			}
		}
		return new SentinelFeed() {

			@Override
			public void connect() {
			}

			@Override
			public CompletableFuture<SentinelView> query(String masterName) {
				long t = ReplayTransport.this.now;
				SentinelView view = view(sentinel, t);
				long took = answer(sentinel.toString(), SentinelCommand.MASTER, t).map(HistoryRecord.SentinelAnswer::took)
					.orElse(-1L);
				return later(took(took, view.reachable() ? null : view.problem()), view);
			}

			@Override
			public void close() {
				open[0] = false;
			}

		};
	}

	@Override
	public CompletableFuture<SentinelCheck.RoleAnswer> role(NodeAddress node) {
		this.rolesAsked.add(new Timed<>(this.now, node));
		SentinelCheck.RoleAnswer answer = roleAt(node, this.now);
		return later(roleTook(node, answer), answer);
	}

	@Override
	public RoleProbe probe(NodeAddress node) {
		this.probes.add(new Timed<>(this.now, node));
		return new RoleProbe() {

			@Override
			public CompletableFuture<SentinelCheck.RoleAnswer> role(Duration pollTimeout) {
				SentinelCheck.RoleAnswer answer = roleAt(node, ReplayTransport.this.now);
				long took = roleTook(node, answer);
				return (took > millis(pollTimeout))
						? later(millis(pollTimeout), new SentinelCheck.RoleAnswer(null, "timed out", true))
						: later(took, answer);
			}

			@Override
			public void close() {
				ReplayTransport.this.probesClosed.add(new Timed<>(ReplayTransport.this.now, node));
			}

		};
	}

	/** What {@link MasterDiscovery} does: the master the first sentinel that names one names, if it is a master. */
	@Override
	public CompletableFuture<DiscoveredMaster> discover() {
		for (String sentinel : this.history.header().sentinels()) {
			Optional<String> named = this.history.sentinelAnswerAt(sentinel, SentinelCommand.GET_MASTER_ADDR, this.now)
				.flatMap(HistoryRecord.SentinelAnswer::address);
			if (named.isPresent()) {
				NodeAddress master = this.addresses.reachable(node(named.get()));
				if (roleAt(master, this.now).isMaster()) {
					return later(2 * ANSWER_MILLIS, new DiscoveredMaster(master, node(sentinel), List.of()));
				}
			}
		}
		CompletableFuture<DiscoveredMaster> failed = new CompletableFuture<>();
		MasterDiscoveryException failure = new MasterDiscoveryException(this.history.header().masterName(),
				List.of(new DiscoveryAttempt(node(this.history.header().sentinels().get(0)), null,
						DiscoveryAttempt.Problem.NOT_A_MASTER, "no sentinel named a master at " + this.now + "ms")),
				List.of());
		at(this.now + ANSWER_MILLIS, () -> failed.completeExceptionally(failure));
		return failed;
	}

	@Override
	public void close() {
		this.closed = true;
		this.queue.clear();
	}

	private SentinelView view(NodeAddress sentinel, long t) {
		String name = sentinel.toString();
		Optional<HistoryRecord.SentinelAnswer> master = answer(name, SentinelCommand.MASTER, t);
		if (master.isEmpty()) {
			return SentinelView.unreachable(sentinel, "Connection refused");
		}
		if (!master.get().answered()) {
			String error = master.get().error();
			return (error != null && error.contains("No such master"))
					? new SentinelView(sentinel, null, null, Map.of(), List.of(), List.of(), null, false)
					: SentinelView.unreachable(sentinel, String.valueOf(error));
		}
		// As announced: the core maps it.
		NodeAddress named = answer(name, SentinelCommand.GET_MASTER_ADDR, t).flatMap(HistoryRecord.SentinelAnswer::address)
			.map(ReplayTransport::node)
			.orElse(null);
		Optional<HistoryRecord.SentinelAnswer> quorum = answer(name, SentinelCommand.CKQUORUM, t);
		String quorumCheck = quorum.map((answer) -> answer.answered() ? answer.text().orElse("") : answer.error())
			.orElse(null);
		boolean quorumOk = quorum.map(HistoryRecord.SentinelAnswer::answered).orElse(false);
		String id = answer(name, SentinelCommand.MYID, t).flatMap(HistoryRecord.SentinelAnswer::text).orElse(null);
		return new SentinelView(sentinel, null, named, master.get().fields(),
				answer(name, SentinelCommand.REPLICAS, t).map(HistoryRecord.SentinelAnswer::entries).orElse(List.of()),
				answer(name, SentinelCommand.SENTINELS, t).map(HistoryRecord.SentinelAnswer::entries).orElse(List.of()),
				quorumCheck, quorumOk, id);
	}

	private Optional<HistoryRecord.SentinelAnswer> answer(String sentinel, SentinelCommand command, long t) {
		return this.history.sentinelAnswerAt(sentinel, command, t);
	}

	SentinelCheck.RoleAnswer roleAt(NodeAddress node, long t) {
		Optional<HistoryRecord.RoleAnswer> answer = this.history.roleAt(node.toString(), t);
		if (answer.isEmpty()) {
			return new SentinelCheck.RoleAnswer(null, "Connection refused", true);
		}
		List<Object> reply = answer.get().reply();
		if (reply == null) {
			return new SentinelCheck.RoleAnswer(null, answer.get().error(), true);
		}
		return new SentinelCheck.RoleAnswer(RoleCheck.of(node, reply), null, false);
	}

	private long roleTook(NodeAddress node, SentinelCheck.RoleAnswer answer) {
		long recorded = this.history.roleAt(node.toString(), this.now).map(HistoryRecord.RoleAnswer::took).orElse(-1L);
		return took(recorded, (answer.role() != null) ? null : answer.problem());
	}

	/**
	 * How long an answer takes: a server that did not answer in time takes the whole timeout (the recorder's own
	 * timeout was shorter); otherwise what the answer took when recorded, at least 1 ms (older recordings without
	 * it: 1 ms, as on loopback).
	 */
	private long took(long recorded, @Nullable String problem) {
		if (problem != null && problem.toLowerCase().contains("time")) {
			return millis(this.timeout);
		}
		return Math.max(ANSWER_MILLIS, recorded);
	}

	private <T> CompletableFuture<T> later(long millis, T value) {
		CompletableFuture<T> answer = new CompletableFuture<>();
		at(this.now + millis, () -> answer.complete(value));
		return answer;
	}

	private Task at(long t, Runnable action) {
		Task task = new Task(t, this.sequence++, action, new boolean[1]);
		this.queue.add(task);
		return task;
	}

	private static long millis(Duration duration) {
		return (duration.toNanos() + 999_999) / 1_000_000;
	}

	static NodeAddress node(String address) {
		int colon = address.lastIndexOf(':');
		return new NodeAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
	}

	private record Task(long t, long sequence, Runnable action, boolean[] cancelled) implements Comparable<Task> {

		@Override
		public int compareTo(Task other) {
			int byTime = Long.compare(this.t, other.t);
			return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
		}

	}

	/**
	 * Something and when, in the recording's milliseconds, it happened.
	 *
	 * @param <T> what
	 * @param t when
	 * @param value what
	 */
	record Timed<T>(long t, T value) {

	}

}
