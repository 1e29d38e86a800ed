package dev.haredis.cluster;

import java.time.Duration;
import java.util.List;

import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;

/**
 * How the {@link ClusterMonitor} follows a cluster.
 *
 * @param seeds the nodes asked first
 * @param refreshInterval how often a node is asked while the cluster is healthy
 * @param fastInterval how often while a master that serves slots is unreachable or flagged failing
 * @param timeout how long one poll, connecting included, may take
 * @param failFast whether start-up fails when no seed answers
 * @param addressMap maps the addresses nodes announce to those this application reaches (Docker, NAT)
 */
public record ClusterMonitorSettings(List<NodeAddress> seeds, Duration refreshInterval, Duration fastInterval,
		Duration timeout, boolean failFast, AddressMap addressMap) {

	public ClusterMonitorSettings {
		seeds = List.copyOf(seeds);
	}

}
