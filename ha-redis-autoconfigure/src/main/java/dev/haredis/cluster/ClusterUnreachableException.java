package dev.haredis.cluster;

import java.util.List;

import dev.haredis.topology.NodeAddress;

/**
 * Thrown on start-up when no seed node of the cluster answered {@code CLUSTER NODES}; says what each one did.
 */
public class ClusterUnreachableException extends RuntimeException {

	private final List<NodeAddress> seeds;

	/**
	 * Create a new instance.
	 * @param seeds the seed nodes asked
	 * @param failures what each answered
	 */
	public ClusterUnreachableException(List<NodeAddress> seeds, String failures) {
		super("No Redis Cluster node answered CLUSTER NODES: " + failures);
		this.seeds = List.copyOf(seeds);
	}

	/**
	 * Return the seed nodes asked.
	 * @return the seeds
	 */
	public List<NodeAddress> getSeeds() {
		return this.seeds;
	}

}
