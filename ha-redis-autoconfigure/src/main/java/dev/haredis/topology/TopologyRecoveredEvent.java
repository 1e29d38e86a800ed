package dev.haredis.topology;

import java.time.Instant;

/**
 * The topology is fully healthy again.
 *
 * @param at when it was noticed
 */
public record TopologyRecoveredEvent(Instant at) implements TopologyEvent {

}
