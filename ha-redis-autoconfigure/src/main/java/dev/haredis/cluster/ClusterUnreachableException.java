package dev.haredis.cluster;

import java.util.List;

import dev.haredis.topology.NodeAddress;

/**
 * Thrown on start-up when no seed node of the cluster answered {@code CLUSTER NODES}; says what each one did.
 */
public class ClusterUnreachableException extends RuntimeException {

	private final List<NodeAddress> seeds;

	private final List<String> failures;

	/**
	 * Create a new instance.
	 * @param seeds the seed nodes asked
	 * @param failures what each answered
	 */
	public ClusterUnreachableException(List<NodeAddress> seeds, List<String> failures) {
		super("No Redis Cluster node answered CLUSTER NODES: " + String.join("; ", failures));
		this.seeds = List.copyOf(seeds);
		this.failures = List.copyOf(failures);
	}

	/**
	 * Return what each seed node did, as {@code host:port: what happened}.
	 * @return the failures, one per seed
	 */
	public List<String> getFailures() {
		return this.failures;
	}

	/**
	 * Return the seed nodes asked.
	 * @return the seeds
	 */
	public List<NodeAddress> getSeeds() {
		return this.seeds;
	}

}
