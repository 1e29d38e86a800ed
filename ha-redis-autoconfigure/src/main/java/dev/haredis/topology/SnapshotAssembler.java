package dev.haredis.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link TopologySnapshot} from a check with the sentinels: the sentinels and whether each answered, the
 * replicas with their state and lag, and, when the master is not verified, why, in words a person can act on.
 */
final class SnapshotAssembler {

	private final SentinelTrust trust;

	private final AnnouncedAddresses addresses;

	SnapshotAssembler(SentinelTrust trust, AnnouncedAddresses addresses) {
		this.trust = trust;
		this.addresses = addresses;
	}

	/**
	 * Return the snapshot after a check.
	 * @param previous the snapshot before it
	 * @param check the check
	 * @param followed the answers of the sentinels still followed
	 * @param current the master in use
	 * @param everVerified the masters the application reached and verified
	 * @param failoverInProgress whether sentinel events say a failover is in progress
	 * @param history the recent sentinel events
	 * @param now the time of the check
	 * @return the snapshot
	 */
	TopologySnapshot afterCheck(TopologySnapshot previous, SentinelCheck check, List<SentinelView> followed,
			@Nullable DiscoveredMaster current, Set<NodeAddress> everVerified, boolean failoverInProgress,
			List<SentinelEvent> history, Instant now) {
		SentinelView best = check.best();
		NodeAddress candidate = check.candidate();
		boolean verified = check.role().isMaster();
		RoleCheck role = check.role().role();
		List<TopologySnapshot.Sentinel> sentinels = followed.stream()
			.map((view) -> new TopologySnapshot.Sentinel(view.sentinel(), view.reachable(), view.problem(),
					!this.trust.isConfigured(view.sentinel()), check.unconfirmed().get(view.sentinel())))
			.toList();
		List<TopologySnapshot.Replica> replicas = new ArrayList<>();
		if (best != null) {
			for (Map<String, String> replica : best.replicas()) {
				NodeAddress address = replicaAddress(replica);
				String flags = replica.getOrDefault("flags", "");
				String state = flags.contains("s_down") || flags.contains("o_down") ? "down"
						: (flags.contains("disconnected") || !"ok".equals(replica.get("master-link-status")))
								? "disconnected" : "online";
				replicas.add(new TopologySnapshot.Replica(address, state, lag(role, address)));
			}
		}
		SentinelView quorumView = followed.stream().filter(SentinelView::reachable).findFirst().orElse(null);
		NodeAddress shown = verified ? candidate : (current != null) ? current.address() : candidate;
		return previous.toBuilder()
			.master(shown, verified, verified ? now : previous.masterVerifiedAt())
			.replicas(replicas)
			.sentinels(sentinels)
			.quorum((best != null) ? best.quorum() : previous.quorum(),
					(quorumView != null) ? quorumView.quorumCheck() : null,
					quorumView != null && quorumView.quorumOk())
			.configEpoch((best != null) ? best.configEpoch() : previous.configEpoch())
			.failoverInProgress(failoverInProgress || (best != null && best.masterFlagged("failover_in_progress")))
			.recentEvents(history)
			.announcedAddresses(this.addresses.announced())
			.masterProblem(verified ? null : masterProblem(candidate, shown, check.role(), everVerified))
			.build();
	}

	/**
	 * Return the snapshot with the latest events.
	 * @param previous the snapshot before them
	 * @param failoverInProgress whether a failover is in progress
	 * @param history the recent sentinel events
	 * @return the snapshot
	 */
	TopologySnapshot withEvents(TopologySnapshot previous, boolean failoverInProgress, List<SentinelEvent> history) {
		return previous.toBuilder()
			.failoverInProgress(failoverInProgress)
			.recentEvents(history)
			.announcedAddresses(this.addresses.announced())
			.build();
	}

	/**
	 * Return the snapshot once a master is verified (found, or switched to).
	 * @param previous the snapshot before
	 * @param master the master
	 * @param at when it was verified
	 * @param failover the switch, if this is one, else the last one
	 * @param history the recent sentinel events
	 * @return the snapshot
	 */
	TopologySnapshot withMaster(TopologySnapshot previous, NodeAddress master, Instant at,
			TopologySnapshot.@Nullable Failover failover, List<SentinelEvent> history) {
		return previous.toBuilder()
			.master(master, true, at)
			.failoverInProgress(false)
			.lastFailover(failover)
			.recentEvents(history)
			.announcedAddresses(this.addresses.announced())
			.masterProblem(null)
			.build();
	}

	NodeAddress replicaAddress(Map<String, String> replica) {
		return this.addresses.reachable(new NodeAddress(replica.get("ip"), Integer.parseInt(replica.get("port"))));
	}

	private @Nullable Long lag(@Nullable RoleCheck role, NodeAddress replica) {
		if (role == null || !role.isMaster()) {
			return null;
		}
		return role.replicas()
			.stream()
			.filter((offset) -> this.addresses.reachable(offset.address()).equals(replica))
			.findFirst()
			.map((offset) -> Math.max(0, role.offset() - offset.offset()))
			.orElse(null);
	}

	/**
	 * Say why the master is not verified. An address that cannot be reached and never could gets the hint that
	 * solves it behind Docker or NAT; a master that was reachable before (it died, or is frozen) does not.
	 */
	private @Nullable String masterProblem(@Nullable NodeAddress candidate, @Nullable NodeAddress shown,
			SentinelCheck.RoleAnswer answer, Set<NodeAddress> everVerified) {
		if (candidate == null) {
			return null;
		}
		String subject = candidate.equals(shown) ? "master " + this.addresses.describe(candidate)
				: "the master the sentinels name, " + this.addresses.describe(candidate) + ",";
		RoleCheck role = answer.role();
		if (role != null) {
			return subject + " reports role '" + role.role() + "'";
		}
		if (answer.problem() == null) {
			return null;
		}
		if (!answer.unreachable()) {
			return subject + " failed its role check (" + answer.problem() + ")";
		}
		String problem = subject + " cannot be reached (" + answer.problem() + ")";
		return everVerified.contains(candidate) ? problem
				: problem + ". " + MasterDiscoveryException.UNREACHABLE_MASTER_ADVICE;
	}

}
