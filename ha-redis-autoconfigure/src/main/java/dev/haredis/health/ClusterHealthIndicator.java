package dev.haredis.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.cluster.ClusterSnapshot;
import dev.haredis.cluster.ClusterView;
import dev.haredis.cluster.ShardFailoverEvent;
import dev.haredis.topology.NodeAddress;

/**
 * Reports a Redis Cluster from the {@link ClusterMonitor}'s latest snapshot, with no round trip to Redis:
 * {@code UP}, {@code DEGRADED} (writes work, but a shard has no replica left or a node is unreachable or flagged
 * failing) or {@code DOWN} (slots without a master, or with a failing one). Details show the slots assigned, ok and
 * failing, each shard's master, slots, last failover and replicas, and the unreachable and failing nodes. Each
 * replica shows its {@code state} and {@code lagBytes} as its master last reported them in {@code INFO replication}
 * (the monitor asks one master per refresh interval, in turn, so a shard's lag is at most as many intervals old as
 * there are shards); without them until its master answered. A replica the master sees at another address than
 * {@code CLUSTER NODES} gives (NAT, Docker) shows it as {@code masterSeesAs}; one the master reports but
 * {@code CLUSTER NODES} does not list shows the master's address and {@code listed: false}.
 */
public class ClusterHealthIndicator extends AbstractHealthIndicator {

	private final ClusterMonitor monitor;

	/**
	 * Create a new instance.
	 * @param monitor the cluster monitor
	 */
	public ClusterHealthIndicator(ClusterMonitor monitor) {
		super("Redis Cluster health check failed");
		this.monitor = monitor;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ClusterSnapshot snapshot = this.monitor.getSnapshot();
		builder.status(SentinelTopologyHealthIndicator.status(snapshot.health()));
		int failing = snapshot.slotsFailing();
		builder.withDetail("state", (snapshot.slotsAssigned() == ClusterView.SLOTS && failing == 0) ? "ok" : "fail")
			.withDetail("slotsAssigned", snapshot.slotsAssigned())
			.withDetail("slotsOk", snapshot.slotsAssigned() - failing)
			.withDetail("slotsFailing", failing);
		List<Map<String, Object>> shards = new ArrayList<>();
		for (ClusterView.Shard shard : snapshot.shards()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("master", shard.master().toString());
			details.put("slots", shard.slots().stream().map(ClusterView.SlotRange::toString).collect(Collectors.joining(",")));
			details.put("configEpoch", shard.configEpoch());
			details.put("replicas", snapshot.replicasOf(shard).stream().map(ClusterHealthIndicator::replica).toList());
			ShardFailoverEvent last = snapshot.lastFailovers().get(shard.master());
			if (last != null) {
				details.put("lastFailover", Map.of("from", last.from().toString(), "at", last.at().toString()));
			}
			shards.add(details);
		}
		builder.withDetail("shards", shards)
			.withDetail("unreachable", snapshot.unreachable().stream().map(NodeAddress::toString).sorted().toList())
			.withDetail("failing", snapshot.failing().stream().map(NodeAddress::toString).sorted().toList())
			.withDetail("failovers", snapshot.failovers());
		if (snapshot.updatedAt() != null) {
			builder.withDetail("updatedAt", snapshot.updatedAt().toString());
		}
	}

	/** As the Sentinel component shows a replica; health details take no null values. */
	private static Map<String, Object> replica(ClusterSnapshot.Replica replica) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("address", replica.address().toString());
		if (replica.masterSeesAs() != null) {
			details.put("masterSeesAs", replica.masterSeesAs().toString());
		}
		if (replica.state() != null) {
			details.put("state", replica.state());
		}
		if (replica.lagBytes() != null) {
			details.put("lagBytes", replica.lagBytes());
		}
		if (!replica.listed()) {
			details.put("listed", false);
		}
		return details;
	}

}
