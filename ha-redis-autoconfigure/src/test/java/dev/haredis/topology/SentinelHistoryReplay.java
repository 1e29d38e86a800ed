package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

import org.jspecify.annotations.Nullable;

import dev.haredis.test.history.HistoryRecord;
import dev.haredis.test.history.SentinelCommand;
import dev.haredis.test.history.SentinelHistory;
import dev.haredis.topology.SentinelTopology.MonitorSettings;

/**
 * Replays a recorded sentinel history through a {@link TopologyCore}, doing what {@link SentinelTopology} does with
 * its decisions, but against the recording instead of live servers: events arrive when they were received, a check
 * asks the sentinels every refresh interval (and when a decision asks for one) and gets the answers they had given
 * by then, role checks and promotion polls get the role a node reported by then. Time is the recording's, so a
 * replay takes milliseconds and says when each decision was taken.
 */
final class SentinelHistoryReplay {

	static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private static final long REFRESH_MILLIS = 1000;

	private static final long PROMOTION_POLL_MILLIS = 10;

	private static final long PROMOTION_WATCH_MILLIS = 15_000;

	/** The application starts once the recorder has had a first answer from everyone. */
	private static final long STARTED_AT = 200;

	private final SentinelHistory history;

	private final TopologyCore core;

	private final AnnouncedAddresses addresses;

	private final PriorityQueue<Input> inputs = new PriorityQueue<>();

	private final List<Decided> decided = new ArrayList<>();

	private long sequence;

	private TopologyDecision.@Nullable WatchPromotion watch;

	private long watchDeadline;

	private boolean checkPending;

	private SentinelHistoryReplay(SentinelHistory history) {
		this.history = history;
		HistoryRecord.Header header = history.header();
		AddressMap.Builder map = AddressMap.builder();
		header.announcedAddresses().forEach(map::entry);
		this.addresses = new AnnouncedAddresses(map.build());
		this.core = new TopologyCore(header.masterName(), header.sentinels().stream().map(SentinelHistoryReplay::node).toList(),
				new MonitorSettings(true, Duration.ofMillis(REFRESH_MILLIS), 50, 16), this.addresses);
	}

	/**
	 * Replay a history from start to end.
	 * @param history the history
	 * @return what the core decided, and when
	 */
	static Replayed replay(SentinelHistory history) {
		SentinelHistoryReplay replay = new SentinelHistoryReplay(history);
		replay.run();
		return new Replayed(history, replay.core, List.copyOf(replay.decided));
	}

	private void run() {
		long end = this.history.duration();
		for (HistoryRecord.Event event : this.history.events()) {
			if (event.t() >= STARTED_AT) {
				at(event.t(), () -> carryOut(event.t(), this.core.event(SentinelEvent.parse(event.channel(),
						event.message(), node(event.sentinel()), time(event.t())))));
			}
		}
		for (long t = STARTED_AT + REFRESH_MILLIS; t <= end; t += REFRESH_MILLIS) {
			long tick = t;
			at(t, () -> check(tick));
		}
		carryOut(STARTED_AT, this.core.followConfigured(this.history.header().sentinels().stream().map(SentinelHistoryReplay::node).toList()));
		discover(STARTED_AT);
		check(STARTED_AT);
		while (!this.inputs.isEmpty()) {
			this.inputs.poll().action().run();
		}
	}

	/** What {@link MasterDiscovery} does at start: the master the first sentinel names, if it answers as master. */
	private void discover(long t) {
		for (String sentinel : this.history.header().sentinels()) {
			Optional<String> named = this.history.sentinelAnswerAt(sentinel, SentinelCommand.GET_MASTER_ADDR, t)
				.flatMap(HistoryRecord.SentinelAnswer::address);
			if (named.isPresent()) {
				NodeAddress master = this.addresses.reachable(node(named.get()));
				if (role(master, t).isMaster()) {
					carryOut(t, this.core.verified(new DiscoveredMaster(master, node(sentinel), List.of()), "discovery",
							time(t)));
					return;
				}
			}
		}
	}

	private void carryOut(long t, List<TopologyDecision> decisions) {
		for (TopologyDecision decision : decisions) {
			this.decided.add(new Decided(t, decision));
			if (decision instanceof TopologyDecision.Reconcile && !this.checkPending) {
				this.checkPending = true;
				at(t + 1, () -> check(t + 1));
			}
			else if (decision instanceof TopologyDecision.CheckRoleThenSwitch check) {
				SentinelCheck.RoleAnswer answer = role(check.node(), t);
				carryOut(t, this.core.announcedRoleChecked(check, answer.role(), answer.problem(), time(t)));
			}
			else if (decision instanceof TopologyDecision.WatchPromotion promotion) {
				this.watch = promotion;
				this.watchDeadline = t + PROMOTION_WATCH_MILLIS;
				at(t, () -> poll(promotion, t));
			}
			else if (decision instanceof TopologyDecision.StopWatchingPromotion) {
				this.watch = null;
			}
		}
	}

	private void poll(TopologyDecision.WatchPromotion promotion, long t) {
		DiscoveredMaster current = this.core.master();
		if (this.watch != promotion || t > this.watchDeadline
				|| (current != null && current.address().equals(promotion.candidate()))) {
			return;
		}
		if (role(promotion.candidate(), t).isMaster()) {
			carryOut(t, this.core.promotionSeen(promotion, time(t)));
		}
		else {
			at(t + PROMOTION_POLL_MILLIS, () -> poll(promotion, t + PROMOTION_POLL_MILLIS));
		}
	}

	/** What {@code SentinelTopology.gather} does, against the recording. */
	private void check(long t) {
		this.checkPending = false;
		SentinelCheck.Request request = this.core.checkRequest();
		List<SentinelView> views = request.sentinels().stream().map((sentinel) -> view(sentinel, t)).toList();
		SentinelCheck.Plan plan = request.plan(views);
		DiscoveredMaster current = request.master();
		SentinelCheck check = null;
		if (plan.staleReturn() && current != null) {
			SentinelCheck.RoleAnswer currentRole = role(current.address(), t);
			if (currentRole.isMaster()) {
				check = new SentinelCheck(views, plan.best(), current.address(), currentRole, true, current,
						plan.unconfirmed());
			}
		}
		if (check == null) {
			NodeAddress candidate = plan.candidate();
			check = new SentinelCheck(views, plan.best(), candidate,
					(candidate != null) ? role(candidate, t) : SentinelCheck.RoleAnswer.NONE, false, current,
					plan.unconfirmed());
		}
		carryOut(t, this.core.checked(check, time(t)));
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
					: SentinelView.unreachable(sentinel, error);
		}
		NodeAddress named = answer(name, SentinelCommand.GET_MASTER_ADDR, t).flatMap(HistoryRecord.SentinelAnswer::address)
			.map((address) -> this.addresses.reachable(node(address)))
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

	private SentinelCheck.RoleAnswer role(NodeAddress node, long t) {
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

	private void at(long t, Runnable action) {
		this.inputs.add(new Input(t, this.sequence++, action));
	}

	static Instant time(long t) {
		return START.plusMillis(t);
	}

	static NodeAddress node(String address) {
		int colon = address.lastIndexOf(':');
		return new NodeAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
	}

	private record Input(long t, long sequence, Runnable action) implements Comparable<Input> {

		@Override
		public int compareTo(Input other) {
			int byTime = Long.compare(this.t, other.t);
			return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
		}

	}

	/**
	 * A decision and when, in the recording's milliseconds, it was taken.
	 *
	 * @param t when
	 * @param decision what
	 */
	record Decided(long t, TopologyDecision decision) {

	}

	/**
	 * The outcome of a replay.
	 *
	 * @param history the history replayed
	 * @param core the core, in its final state
	 * @param decisions every decision, in order
	 */
	record Replayed(SentinelHistory history, TopologyCore core, List<Decided> decisions) {

		List<Timed<MasterSwitchedEvent>> switches() {
			return published(MasterSwitchedEvent.class);
		}

		<T extends TopologyEvent> List<Timed<T>> published(Class<T> type) {
			List<Timed<T>> found = new ArrayList<>();
			for (Decided decided : this.decisions) {
				if (decided.decision() instanceof TopologyDecision.Publish publish && type.isInstance(publish.event())) {
					found.add(new Timed<>(decided.t(), type.cast(publish.event())));
				}
			}
			return found;
		}

		/** When the first event of a type was received, in the recording's milliseconds. */
		Optional<Long> firstEvent(String type) {
			return this.history.events().stream().filter((event) -> event.channel().equals(type)).map(HistoryRecord::t)
				.findFirst();
		}

		/** The role a node reported at a time of the recording. */
		Optional<String> roleAt(NodeAddress node, long t) {
			return this.history.roleAt(node.toString(), t).flatMap(HistoryRecord.RoleAnswer::role);
		}

	}

	record Timed<T>(long t, T value) {

	}

}
