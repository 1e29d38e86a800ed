package dev.haredis.topology;

import java.time.Instant;

/**
 * A sentinel that answered before no longer does.
 *
 * @param sentinel the sentinel
 * @param reason why it could not be used
 * @param at when it was noticed
 */
public record SentinelLostEvent(NodeAddress sentinel, String reason, Instant at) implements TopologyEvent {

}
