package dev.haredis.test;

import java.time.Duration;

/**
 * The settings of a {@link LocalClusterTopology}; {@link #start()} starts it.
 */
public final class LocalClusterTopologyBuilder {

	private int masters = 3;

	private int replicasPerMaster = 1;

	private Duration nodeTimeout = Duration.ofSeconds(2);

	private RedisServerBinary binary = RedisServerBinary.locate();

	LocalClusterTopologyBuilder() {
	}

	/**
	 * Set how many masters share the slots (at least 3, as Redis requires for a cluster that fails over).
	 * @param masters the number of masters
	 * @return this builder
	 */
	public LocalClusterTopologyBuilder masters(int masters) {
		if (masters < 3) {
			throw new IllegalArgumentException("A cluster that fails over needs at least 3 masters, was " + masters);
		}
		this.masters = masters;
		return this;
	}

	/**
	 * Set how many replicas each master has (at least 1, for a failover to have a candidate).
	 * @param replicasPerMaster the number of replicas of each master
	 * @return this builder
	 */
	public LocalClusterTopologyBuilder replicasPerMaster(int replicasPerMaster) {
		if (replicasPerMaster < 1) {
			throw new IllegalArgumentException("A failover needs at least one replica, was " + replicasPerMaster);
		}
		this.replicasPerMaster = replicasPerMaster;
		return this;
	}

	/**
	 * Set {@code cluster-node-timeout}: how long a node must be unreachable before the others mark it failed.
	 * @param nodeTimeout the node timeout
	 * @return this builder
	 */
	public LocalClusterTopologyBuilder nodeTimeout(Duration nodeTimeout) {
		this.nodeTimeout = nodeTimeout;
		return this;
	}

	/**
	 * Set the {@code redis-server} executable (by default the one {@link RedisServerBinary#locate()} finds).
	 * @param binary the executable
	 * @return this builder
	 */
	public LocalClusterTopologyBuilder binary(RedisServerBinary binary) {
		this.binary = binary;
		return this;
	}

	/**
	 * Start the processes, form the cluster and wait until it is healthy; on failure every process started is
	 * killed.
	 * @return the running cluster
	 */
	public LocalClusterTopology start() {
		LocalClusterTopology topology = new LocalClusterTopology(this);
		try {
			topology.start();
			return topology;
		}
		catch (RuntimeException ex) {
			topology.close();
			throw ex;
		}
	}

	int masters() {
		return this.masters;
	}

	int replicasPerMaster() {
		return this.replicasPerMaster;
	}

	Duration nodeTimeout() {
		return this.nodeTimeout;
	}

	RedisServerBinary binary() {
		return this.binary;
	}

}
