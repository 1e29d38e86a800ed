package dev.haredis.topology;

import java.time.Instant;
import java.util.List;

/**
 * The topology's health got worse (to degraded or down), or its reasons changed.
 *
 * @param health the new verdict
 * @param reasons why, in words
 * @param at when it was noticed
 */
public record TopologyDegradedEvent(TopologyHealth health, List<String> reasons, Instant at)
		implements TopologyEvent {

	public TopologyDegradedEvent {
		reasons = List.copyOf(reasons);
	}

}
