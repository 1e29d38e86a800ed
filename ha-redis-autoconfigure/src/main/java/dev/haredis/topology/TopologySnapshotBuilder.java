package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link TopologySnapshot}; what is not set is not known.
 */
final class TopologySnapshotBuilder {

	private final String masterName;

	private @Nullable NodeAddress master;

	private boolean masterVerified;

	private @Nullable Instant masterVerifiedAt;

	private List<TopologySnapshot.Replica> replicas = List.of();

	private List<TopologySnapshot.Sentinel> sentinels = List.of();

	private int quorum;

	private @Nullable String quorumCheck;

	private boolean quorumOk;

	private long configEpoch;

	private boolean failoverInProgress;

	private TopologySnapshot.@Nullable Failover lastFailover;

	private List<SentinelEvent> recentEvents = List.of();

	private Map<NodeAddress, NodeAddress> announcedAddresses = Map.of();

	private @Nullable String masterProblem;

	TopologySnapshotBuilder(String masterName) {
		this.masterName = masterName;
	}

	/**
	 * Set the master the application uses.
	 * @param master the master, if any
	 * @param verified whether it answered {@code ROLE} as master at the last check
	 * @param verifiedAt when it last did
	 * @return this builder
	 */
	TopologySnapshotBuilder master(@Nullable NodeAddress master, boolean verified, @Nullable Instant verifiedAt) {
		this.master = master;
		this.masterVerified = verified;
		this.masterVerifiedAt = verifiedAt;
		return this;
	}

	/**
	 * Set the replicas the sentinels know.
	 * @param replicas the replicas
	 * @return this builder
	 */
	TopologySnapshotBuilder replicas(List<TopologySnapshot.Replica> replicas) {
		this.replicas = replicas;
		return this;
	}

	/**
	 * Set the sentinels known.
	 * @param sentinels the sentinels
	 * @return this builder
	 */
	TopologySnapshotBuilder sentinels(List<TopologySnapshot.Sentinel> sentinels) {
		this.sentinels = sentinels;
		return this;
	}

	/**
	 * Set the quorum and the last answer to {@code SENTINEL CKQUORUM}.
	 * @param quorum the quorum ({@code 0} when not known)
	 * @param check the answer, if any
	 * @param ok whether it was {@code OK}
	 * @return this builder
	 */
	TopologySnapshotBuilder quorum(int quorum, @Nullable String check, boolean ok) {
		this.quorum = quorum;
		this.quorumCheck = check;
		this.quorumOk = ok;
		return this;
	}

	/**
	 * Set the configuration epoch the sentinels report.
	 * @param configEpoch the epoch
	 * @return this builder
	 */
	TopologySnapshotBuilder configEpoch(long configEpoch) {
		this.configEpoch = configEpoch;
		return this;
	}

	/**
	 * Set whether a failover is in progress.
	 * @param failoverInProgress whether one is
	 * @return this builder
	 */
	TopologySnapshotBuilder failoverInProgress(boolean failoverInProgress) {
		this.failoverInProgress = failoverInProgress;
		return this;
	}

	/**
	 * Set the last master switch the application made.
	 * @param lastFailover the switch, if any
	 * @return this builder
	 */
	TopologySnapshotBuilder lastFailover(TopologySnapshot.@Nullable Failover lastFailover) {
		this.lastFailover = lastFailover;
		return this;
	}

	/**
	 * Set the latest sentinel events, oldest first.
	 * @param recentEvents the events
	 * @return this builder
	 */
	TopologySnapshotBuilder recentEvents(List<SentinelEvent> recentEvents) {
		this.recentEvents = recentEvents;
		return this;
	}

	/**
	 * Set the announced address behind each mapped address.
	 * @param announcedAddresses announced addresses by the address used instead
	 * @return this builder
	 */
	TopologySnapshotBuilder announcedAddresses(Map<NodeAddress, NodeAddress> announcedAddresses) {
		this.announcedAddresses = announcedAddresses;
		return this;
	}

	/**
	 * Set why the master is not verified.
	 * @param masterProblem the reason, if a role check gave one
	 * @return this builder
	 */
	TopologySnapshotBuilder masterProblem(@Nullable String masterProblem) {
		this.masterProblem = masterProblem;
		return this;
	}

	/**
	 * Build the snapshot.
	 * @return the snapshot
	 */
	TopologySnapshot build() {
		return new TopologySnapshot(this.masterName, this.master, this.masterVerified, this.masterVerifiedAt,
				this.replicas, this.sentinels, this.quorum, this.quorumCheck, this.quorumOk, this.configEpoch,
				this.failoverInProgress, this.lastFailover, this.recentEvents, this.announcedAddresses,
				this.masterProblem);
	}

}
