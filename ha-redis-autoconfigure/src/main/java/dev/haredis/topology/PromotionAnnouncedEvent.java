package dev.haredis.topology;

import java.time.Instant;

/**
 * A sentinel announced which replica it promotes ({@code +selected-slave}) while the application writes to the
 * master it replaces. Writes the old master acknowledged from now on would be lost, so the connections to it are
 * closed (the connection layer's listener runs first, {@link TopologyListener#CONNECTIONS}) and new ones wait, their
 * commands buffered, until the replica answers as master ({@link MasterSwitchedEvent}), at most until
 * {@code holdUntil}, or until the failover ends without it; then they go to whichever is master.
 *
 * @param masterName the master name
 * @param from the master in use
 * @param candidate the replica being promoted
 * @param sentinel the sentinel promoting it
 * @param holdUntil until when new connections wait at most
 * @param at when the sentinel announced it
 */
public record PromotionAnnouncedEvent(String masterName, NodeAddress from, NodeAddress candidate,
		NodeAddress sentinel, Instant holdUntil, Instant at) implements TopologyEvent {

}
