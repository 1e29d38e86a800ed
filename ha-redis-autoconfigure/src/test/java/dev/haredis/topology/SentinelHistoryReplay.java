package dev.haredis.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.haredis.test.history.HistoryRecord;
import dev.haredis.test.history.SentinelHistory;
import dev.haredis.topology.ReplayTransport.Timed;
import dev.haredis.topology.SentinelSettings.Credentials;

/**
 * Runs the real {@link SentinelTopology}, core and shell, against a recorded sentinel history on a
 * {@link ReplayTransport}'s virtual clock, as an application started once the recorder had a first answer from
 * everyone. Records what the listeners heard, on which thread, and where a new connection would have gone every
 * 10 ms of the recording.
 */
final class SentinelHistoryReplay {

	/** The application starts once the recorder has had a first answer from everyone. */
	static final long STARTED_AT = 200;

	/** How often the replay looks where a new connection would go. */
	static final long SAMPLE_MILLIS = 10;

	/** The sentinel timeout of the application replayed (ha.redis.sentinel.timeout's default). */
	static final Duration TIMEOUT = Duration.ofSeconds(1);

	private SentinelHistoryReplay() {
	}

	/**
	 * Replay a history from start to end.
	 * @param history the history
	 * @return what the application heard and did, and when
	 */
	static Replayed replay(SentinelHistory history) {
		return replay(history, true);
	}

	/**
	 * Replay a history from start to end, as an application that follows the sentinels or, without monitoring, one
	 * whose every new connection asks for the master (from outside the topology thread, as a connection thread
	 * does).
	 * @param history the history
	 * @param monitored whether the application follows the sentinels
	 * @return what the application heard and did, and when
	 */
	static Replayed replay(SentinelHistory history, boolean monitored) {
		ReplayTransport transport = transport(history);
		List<Timed<TopologyEvent>> heard = new ArrayList<>();
		List<TopologyEvent> offThread = new ArrayList<>();
		TopologyListener listener = (event) -> {
			heard.add(new Timed<>(transport.elapsed(), event));
			if (!transport.inTopologyThread()) {
				offThread.add(event);
			}
		};
		SentinelTopology topology = topology(transport, monitored, listener);
		List<Timed<NodeAddress>> routes = new ArrayList<>();
		transport.runUntil(STARTED_AT);
		topology.start();
		long end = history.duration();
		for (long t = transport.elapsed(); t <= end; t += SAMPLE_MILLIS) {
			transport.runUntil(t);
			if (monitored) {
				topology.getMaster().ifPresent((master) -> routes.add(new Timed<>(transport.elapsed(), master.address())));
			}
			else {
				routes.add(new Timed<>(transport.elapsed(), topology.masterForNewConnection()));
			}
		}
		Replayed replayed = new Replayed(history, topology, transport, List.copyOf(heard), List.copyOf(offThread),
				List.copyOf(routes));
		topology.stop();
		return replayed;
	}

	/**
	 * Return a transport that plays a history, with the history's address map.
	 * @param history the history
	 * @return the transport
	 */
	static ReplayTransport transport(SentinelHistory history) {
		return new ReplayTransport(history, new AnnouncedAddresses(addressMap(history)), TIMEOUT);
	}

	/**
	 * Return the real topology monitor of an application configured as the recording's, on a transport.
	 * @param transport the transport
	 * @param monitored whether it follows the sentinels
	 * @param listener its listener
	 * @return the topology, not started
	 */
	static SentinelTopology topology(ReplayTransport transport, boolean monitored, TopologyListener listener) {
		HistoryRecord.Header header = transport.history().header();
		SentinelSettings settings = new SentinelSettings(header.masterName(),
				header.sentinels().stream().map(ReplayTransport::node).toList(), Credentials.NONE, Credentials.NONE, 0,
				false, TIMEOUT, addressMap(transport.history()));
		return new SentinelTopology(settings, new MonitorSettings(monitored, Duration.ofSeconds(1), 50, 16), false,
				() -> transport, () -> List.of(listener));
	}

	private static AddressMap addressMap(SentinelHistory history) {
		AddressMap.Builder map = AddressMap.builder();
		history.header().announcedAddresses().forEach(map::entry);
		return map.build();
	}

	/**
	 * The outcome of a replay.
	 *
	 * @param history the history replayed
	 * @param topology the topology, as it was at the end
	 * @param transport the transport, with what was asked
	 * @param heard what the listeners heard, and when
	 * @param offThread what the listeners heard off the topology thread (nothing, ever)
	 * @param routes where a new connection would have gone, every 10 ms
	 */
	record Replayed(SentinelHistory history, SentinelTopology topology, ReplayTransport transport,
			List<Timed<TopologyEvent>> heard, List<TopologyEvent> offThread, List<Timed<NodeAddress>> routes) {

		List<Timed<MasterSwitchedEvent>> switches() {
			return published(MasterSwitchedEvent.class);
		}

		<T extends TopologyEvent> List<Timed<T>> published(Class<T> type) {
			List<Timed<T>> found = new ArrayList<>();
			for (Timed<TopologyEvent> event : this.heard) {
				if (type.isInstance(event.value())) {
					found.add(new Timed<>(event.t(), type.cast(event.value())));
				}
			}
			return found;
		}

		/** When the first event of a type was received, in the recording's milliseconds. */
		Optional<Long> firstEvent(String type) {
			return this.history.events().stream().filter((event) -> event.channel().equals(type)).map(HistoryRecord::t)
				.findFirst();
		}

		/** When a node first reported a role at or after a time, in the recording's milliseconds. */
		Optional<Long> firstRole(NodeAddress node, String role, long from) {
			return this.history.records()
				.stream()
				.filter(HistoryRecord.RoleAnswer.class::isInstance)
				.map(HistoryRecord.RoleAnswer.class::cast)
				.filter((answer) -> answer.t() >= from && answer.node().equals(node.toString())
						&& answer.role().filter(role::equals).isPresent())
				.map(HistoryRecord::t)
				.findFirst();
		}

		/** The role a node reported at a time of the recording. */
		Optional<String> roleAt(NodeAddress node, long t) {
			return this.history.roleAt(node.toString(), t).flatMap(HistoryRecord.RoleAnswer::role);
		}

	}

}
