package dev.haredis.topology;

import java.time.Instant;

/**
 * A sentinel that was lost answers again.
 *
 * @param sentinel the sentinel
 * @param at when it was noticed
 */
public record SentinelRegainedEvent(NodeAddress sentinel, Instant at) implements TopologyEvent {

}
