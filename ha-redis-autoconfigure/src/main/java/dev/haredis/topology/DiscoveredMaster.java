package dev.haredis.topology;

import java.util.List;

/**
 * A master found through a sentinel and verified with {@code ROLE}.
 *
 * @param address the master's address, as the sentinel announced it
 * @param sentinel the sentinel that named it
 * @param skipped the sentinels asked before it whose answer could not be used
 */
public record DiscoveredMaster(NodeAddress address, NodeAddress sentinel, List<DiscoveryAttempt> skipped) {

	public DiscoveredMaster {
		skipped = List.copyOf(skipped);
	}

}
