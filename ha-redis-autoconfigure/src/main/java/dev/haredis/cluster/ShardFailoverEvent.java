package dev.haredis.cluster;

import java.time.Instant;
import java.util.List;

import dev.haredis.topology.NodeAddress;

/**
 * Slots of the cluster moved to a new master: the replica of a failed or manually failed-over master took them.
 *
 * @param from the master that served them
 * @param to the master that serves them now
 * @param slots the slots that moved
 * @param at when the monitor saw it
 * @param reportedBy the node whose answer showed it
 */
public record ShardFailoverEvent(NodeAddress from, NodeAddress to, List<ClusterView.SlotRange> slots, Instant at,
		NodeAddress reportedBy) {

	public ShardFailoverEvent {
		slots = List.copyOf(slots);
	}

}
