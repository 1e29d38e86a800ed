package dev.haredis.fence;

import java.time.Instant;

/**
 * The replication fence opened again: a replica caught up or a new master was verified.
 *
 * @param at when
 */
public record WritesResumedEvent(Instant at) {
}
