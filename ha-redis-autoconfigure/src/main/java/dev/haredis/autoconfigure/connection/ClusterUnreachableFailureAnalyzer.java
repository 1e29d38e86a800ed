package dev.haredis.autoconfigure.connection;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.haredis.cluster.ClusterUnreachableException;

/**
 * Reports a {@link ClusterUnreachableException}: what each seed node did, and what to check.
 */
class ClusterUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<ClusterUnreachableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ClusterUnreachableException cause) {
		return new FailureAnalysis("No node of the Redis Cluster answered CLUSTER NODES:\n    - "
				+ String.join("\n    - ", cause.getFailures()),
				"Check that ha.redis.cluster.nodes (or spring.data.redis.cluster.nodes) lists host:port of running "
						+ "cluster nodes (cluster-enabled yes) reachable from here, and ha.redis.username / "
						+ "ha.redis.password and ha.redis.ssl.* if the nodes need them. A node that answers "
						+ "'ERR This instance has cluster support disabled' is a standalone server: use "
						+ "ha.redis.sentinel.* for a Sentinel topology. To start anyway and connect once the cluster "
						+ "is reachable, set ha.redis.fail-fast=false.",
				cause);
	}

}
