package dev.haredis.fence;

import java.time.Duration;
import java.time.Instant;

/**
 * The replication fence closed: writes fail with {@link WritesFencedException} until it opens again.
 *
 * @param reason why
 * @param unacknowledged how long no write of the master had been known to be on enough replicas
 * @param at when
 */
public record WritesFencedEvent(String reason, Duration unacknowledged, Instant at) {
}
