package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An immutable picture of the topology as the application last saw it: served to health checks and metrics
 * without any round trip to Redis.
 *
 * @param masterName the master name
 * @param master the master the application uses, if any
 * @param masterVerified whether that master answered {@code ROLE} as master at the last check
 * @param masterVerifiedAt when it last did
 * @param replicas the replicas the sentinels know, with their state and lag
 * @param sentinels the sentinels known (configured, announced or discovered) and whether each answered
 * @param quorum the quorum the sentinels are configured with ({@code 0} when not known yet)
 * @param quorumCheck the answer to {@code SENTINEL CKQUORUM}, when one was had
 * @param quorumOk whether that answer was {@code OK}
 * @param configEpoch the configuration epoch the sentinels report for the master
 * @param failoverInProgress whether a sentinel is failing the master over right now
 * @param lastFailover the last master switch the application saw
 * @param recentEvents the latest sentinel events, oldest first
 * @param announcedAddresses where {@code ha.redis.sentinel.address-map} changed an address: the address as the
 * sentinels announced it, by the address used instead
 * @param masterProblem why the master is not verified, when a role check said why
 */
public record TopologySnapshot(String masterName, @Nullable NodeAddress master, boolean masterVerified,
		@Nullable Instant masterVerifiedAt, List<Replica> replicas, List<Sentinel> sentinels, int quorum,
		@Nullable String quorumCheck, boolean quorumOk, long configEpoch, boolean failoverInProgress,
		@Nullable Failover lastFailover, List<SentinelEvent> recentEvents,
		Map<NodeAddress, NodeAddress> announcedAddresses, @Nullable String masterProblem) {

	public TopologySnapshot {
		replicas = List.copyOf(replicas);
		sentinels = List.copyOf(sentinels);
		recentEvents = List.copyOf(recentEvents);
		announcedAddresses = Map.copyOf(announcedAddresses);
	}

	/**
	 * Return the snapshot before anything is known.
	 * @param masterName the master name
	 * @param sentinels the configured sentinels
	 * @return the empty snapshot
	 */
	public static TopologySnapshot unknown(String masterName, List<NodeAddress> sentinels) {
		return builder(masterName)
			.sentinels(sentinels.stream().map((address) -> new Sentinel(address, false, "not asked yet")).toList())
			.build();
	}

	/**
	 * Return a builder for a snapshot of a master, with nothing known yet.
	 * @param masterName the master name
	 * @return the builder
	 */
	static TopologySnapshotBuilder builder(String masterName) {
		return new TopologySnapshotBuilder(masterName);
	}

	/**
	 * Return a builder that starts from this snapshot.
	 * @return the builder
	 */
	TopologySnapshotBuilder toBuilder() {
		return new TopologySnapshotBuilder(this.masterName).master(this.master, this.masterVerified, this.masterVerifiedAt)
			.replicas(this.replicas)
			.sentinels(this.sentinels)
			.quorum(this.quorum, this.quorumCheck, this.quorumOk)
			.configEpoch(this.configEpoch)
			.failoverInProgress(this.failoverInProgress)
			.lastFailover(this.lastFailover)
			.recentEvents(this.recentEvents)
			.announcedAddresses(this.announcedAddresses)
			.masterProblem(this.masterProblem);
	}

	/**
	 * Return the address the sentinels announced for an address in this snapshot, when the address map changed it.
	 * @param address an address of this snapshot
	 * @return the announced address, or {@code null} when the address is used as announced
	 */
	public @Nullable NodeAddress announcedAddressOf(NodeAddress address) {
		return this.announcedAddresses.get(address);
	}

	/**
	 * Return how many sentinels answered at the last check.
	 * @return the number of sentinels reached
	 */
	public int sentinelsReached() {
		return (int) this.sentinels.stream().filter(Sentinel::reachable).count();
	}

	/**
	 * Return how many sentinels are a majority of those known: the number needed to authorize a failover.
	 * @return the majority
	 */
	public int majority() {
		return this.sentinels.size() / 2 + 1;
	}

	/**
	 * Return how many replicas are online (not down, not disconnected).
	 * @return the number of replicas online
	 */
	public int replicasOnline() {
		return (int) this.replicas.stream().filter(Replica::isOnline).count();
	}

	/**
	 * Return the verdict: {@link TopologyHealth#DOWN} without a verified master, {@link TopologyHealth#DEGRADED}
	 * when any of {@link #problems()} applies, else {@link TopologyHealth#UP}.
	 * @return the verdict
	 */
	public TopologyHealth health() {
		if (this.master == null || !this.masterVerified) {
			return TopologyHealth.DOWN;
		}
		return problems().isEmpty() ? TopologyHealth.UP : TopologyHealth.DEGRADED;
	}

	/**
	 * Return what is wrong, in words; empty when the topology is fully healthy.
	 * @return the problems
	 */
	public List<String> problems() {
		List<String> problems = new ArrayList<>();
		if (this.master == null) {
			problems.add("no master is known");
		}
		else if (!this.masterVerified) {
			problems.add((this.masterProblem != null) ? this.masterProblem
					: "master " + this.master + " does not answer as a master");
		}
		if (this.failoverInProgress) {
			problems.add("a failover is in progress");
		}
		int reached = sentinelsReached();
		if (reached < majority()) {
			problems.add("only " + reached + " of " + this.sentinels.size() + " sentinels reachable; a failover "
					+ "needs a majority (" + majority() + ")");
		}
		if (this.quorum > 0 && reached < this.quorum) {
			problems.add("fewer sentinels reachable (" + reached + ") than the quorum (" + this.quorum + ")");
		}
		if (this.quorumCheck != null && !this.quorumOk) {
			problems.add("SENTINEL CKQUORUM: " + this.quorumCheck);
		}
		if (this.master != null && replicasOnline() == 0) {
			problems.add("no replica online: a failover would have nothing to promote");
		}
		for (Sentinel sentinel : this.sentinels) {
			if (sentinel.unconfirmedMaster() != null) {
				problems.add("sentinel " + sentinel.address() + " names " + sentinel.unconfirmedMaster()
						+ " as master, which no configured sentinel confirms (ignored; a rogue or misconfigured "
						+ "sentinel)");
			}
		}
		return problems;
	}

	/**
	 * A replica of the master.
	 *
	 * @param address its address
	 * @param state {@code online}, {@code down} (subjectively down for a sentinel) or {@code disconnected}
	 * @param lagBytes how many bytes of the replication stream it has not acknowledged, when known
	 */
	public record Replica(NodeAddress address, String state, @Nullable Long lagBytes) {

		/**
		 * Return whether the replica is online.
		 * @return whether it is online
		 */
		public boolean isOnline() {
			return "online".equals(this.state);
		}

	}

	/**
	 * A sentinel.
	 *
	 * @param address its address
	 * @param reachable whether it answered at the last check
	 * @param problem why it did not, when it did not
	 * @param learned whether it was learned from the other sentinels rather than configured
	 * @param unconfirmedMaster the master it names when neither a configured sentinel nor a majority confirms it
	 * (the application ignores it and never contacts it)
	 */
	public record Sentinel(NodeAddress address, boolean reachable, @Nullable String problem, boolean learned,
			@Nullable NodeAddress unconfirmedMaster) {

		/**
		 * Create a configured sentinel with nothing unconfirmed.
		 * @param address its address
		 * @param reachable whether it answered at the last check
		 * @param problem why it did not, when it did not
		 */
		public Sentinel(NodeAddress address, boolean reachable, @Nullable String problem) {
			this(address, reachable, problem, false, null);
		}

	}

	/**
	 * A master switch the application made.
	 *
	 * @param from the old master
	 * @param to the new master
	 * @param at when the application switched
	 * @param duration from the first sign of trouble (a sentinel's {@code +sdown} or {@code +odown} of the master,
	 * or the start of a failover) to the switch, when such a sign was seen
	 * @param cause what made the application switch
	 */
	public record Failover(NodeAddress from, NodeAddress to, Instant at, @Nullable Duration duration, String cause) {

	}

}
