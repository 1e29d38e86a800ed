package dev.haredis.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.haredis.fence.ReplicationFence;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelEvent;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyHealth;
import dev.haredis.topology.TopologySnapshot;

/**
 * Reports the Sentinel topology from the {@link SentinelTopology}'s latest snapshot, with no round trip to Redis:
 * {@code UP}, {@link #DEGRADED} (writes work, but the next fault could not be survived as it should: too few
 * sentinels, no replica, a failover under way) or {@code DOWN} (no role-verified master). Details show the master,
 * replicas with their lag, sentinels reached against the quorum, the last failover and the latest sentinel
 * events; never a credential.
 */
public class SentinelTopologyHealthIndicator extends AbstractHealthIndicator {

	/** Writes work, but the topology could not survive the next fault as it should. */
	public static final Status DEGRADED = new Status("DEGRADED");

	private final SentinelTopology topology;

	private final int events;

	private final @Nullable ReplicationFence fence;

	/**
	 * Create a new instance.
	 * @param topology the topology
	 * @param events how many of the latest sentinel events to show
	 */
	public SentinelTopologyHealthIndicator(SentinelTopology topology, int events) {
		this(topology, events, null);
	}

	/**
	 * Create a new instance that also reports the replication fence: {@code DOWN} while it refuses writes.
	 * @param topology the topology
	 * @param events how many of the latest sentinel events to show
	 * @param fence the replication fence, or {@code null} when it is off
	 */
	public SentinelTopologyHealthIndicator(SentinelTopology topology, int events, @Nullable ReplicationFence fence) {
		super("Sentinel topology health check failed");
		this.topology = topology;
		this.events = events;
		this.fence = fence;
	}

	/**
	 * Return the health status of a topology verdict.
	 * @param health the verdict
	 * @return {@code UP}, {@link #DEGRADED} or {@code DOWN}
	 */
	static Status status(TopologyHealth health) {
		return switch (health) {
			case UP -> Status.UP;
			case DEGRADED -> DEGRADED;
			case DOWN -> Status.DOWN;
		};
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		TopologySnapshot snapshot = this.topology.getSnapshot();
		builder.status(status(snapshot.health()));
		builder.withDetail("masterName", snapshot.masterName());
		// Health details take no null values: a master not known yet, or never verified, leaves its detail out.
		NodeAddress master = snapshot.master();
		if (master != null) {
			builder.withDetail("master", master.toString());
			NodeAddress masterAnnounced = snapshot.announcedAddressOf(master);
			if (masterAnnounced != null) {
				builder.withDetail("masterAnnouncedAs", masterAnnounced.toString());
			}
		}
		builder.withDetail("roleVerified", snapshot.masterVerified());
		Instant verifiedAt = snapshot.masterVerifiedAt();
		if (verifiedAt != null) {
			builder.withDetail("roleVerifiedAt", verifiedAt.toString());
		}
		builder.withDetail("replicas",
				snapshot.replicas().stream().map((replica) -> replica(snapshot, replica)).toList());
		builder.withDetail("sentinels", sentinels(snapshot));
		builder.withDetail("configEpoch", snapshot.configEpoch());
		builder.withDetail("failoverInProgress", snapshot.failoverInProgress());
		if (snapshot.lastFailover() != null) {
			builder.withDetail("lastFailover", failover(snapshot.lastFailover()));
		}
		List<String> problems = new ArrayList<>(snapshot.problems());
		if (this.fence != null && this.fence.isClosed()) {
			// Writes fail fast: as good as no master for writing.
			builder.status(Status.DOWN);
			problems.add(0, "writes fenced: " + this.fence.getClosedBecause().orElse("closed"));
			this.fence.getClosedSince().ifPresent((since) -> builder.withDetail("writesFencedSince", since.toString()));
		}
		if (this.fence != null) {
			builder.withDetail("writesFenced", this.fence.isClosed());
		}
		if (!problems.isEmpty()) {
			builder.withDetail("problems", problems);
		}
		List<SentinelEvent> recent = snapshot.recentEvents();
		builder.withDetail("recentEvents", recent.subList(Math.max(0, recent.size() - this.events), recent.size())
			.stream()
			.map(SentinelTopologyHealthIndicator::event)
			.toList());
	}

	private static Map<String, Object> replica(TopologySnapshot snapshot, TopologySnapshot.Replica replica) {
		Map<String, Object> details = new LinkedHashMap<>();
		address(details, snapshot, replica.address());
		details.put("state", replica.state());
		if (replica.lagBytes() != null) {
			details.put("lagBytes", replica.lagBytes());
		}
		return details;
	}

	private static Map<String, Object> sentinels(TopologySnapshot snapshot) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("reached", snapshot.sentinelsReached());
		details.put("known", snapshot.sentinels().size());
		details.put("majority", snapshot.majority());
		details.put("quorum", snapshot.quorum());
		if (snapshot.quorumCheck() != null) {
			details.put("quorumCheck", snapshot.quorumCheck());
		}
		details.put("nodes", snapshot.sentinels().stream().map((sentinel) -> {
			Map<String, Object> node = new LinkedHashMap<>();
			address(node, snapshot, sentinel.address());
			node.put("reachable", sentinel.reachable());
			if (sentinel.problem() != null) {
				node.put("problem", sentinel.problem());
			}
			if (sentinel.learned()) {
				node.put("learned", true);
			}
			if (sentinel.unconfirmedMaster() != null) {
				node.put("unconfirmedMaster", sentinel.unconfirmedMaster().toString());
			}
			return node;
		}).toList());
		return details;
	}

	/**
	 * The address in use, and the one the sentinels announced when {@code ha.redis.sentinel.address-map} changed it.
	 */
	private static void address(Map<String, Object> details, TopologySnapshot snapshot, NodeAddress address) {
		details.put("address", address.toString());
		NodeAddress announced = snapshot.announcedAddressOf(address);
		if (announced != null) {
			details.put("announcedAs", announced.toString());
		}
	}

	private static Map<String, Object> failover(TopologySnapshot.Failover failover) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("from", failover.from().toString());
		details.put("to", failover.to().toString());
		details.put("at", failover.at().toString());
		Duration duration = failover.duration();
		if (duration != null) {
			details.put("durationMillis", duration.toMillis());
		}
		details.put("cause", failover.cause());
		return details;
	}

	private static Map<String, Object> event(SentinelEvent event) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("at", event.at().toString());
		details.put("type", event.type());
		details.put("message", event.message());
		details.put("sentinel", event.reportedBy().toString());
		return details;
	}

}
