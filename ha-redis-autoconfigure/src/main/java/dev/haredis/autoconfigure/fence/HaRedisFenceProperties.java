package dev.haredis.autoconfigure.fence;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Properties of the replication fence ({@code ha.redis.fence.*}), off unless {@code max-replica-lag} is set.
 */
@ConfigurationProperties("ha.redis.fence")
public class HaRedisFenceProperties {

	/**
	 * Longest time the master may go without a write known to be on enough replicas before writes fail fast with
	 * WritesFencedException (a master cut off from its replicas). Unset: the fence is off. With no replica reachable
	 * the fence stops writes, as min-replicas-to-write does on the server.
	 */
	private @Nullable Duration maxReplicaLag;

	/**
	 * How many replicas must have acknowledged the master's writes.
	 */
	private int minReplicas = 1;

	/**
	 * How often the master is probed (PUBLISH, then WAIT for the replicas); must be under half of max-replica-lag.
	 */
	private Duration probeInterval = Duration.ofMillis(100);

	public @Nullable Duration getMaxReplicaLag() {
		return this.maxReplicaLag;
	}

	public void setMaxReplicaLag(@Nullable Duration maxReplicaLag) {
		this.maxReplicaLag = maxReplicaLag;
	}

	public int getMinReplicas() {
		return this.minReplicas;
	}

	public void setMinReplicas(int minReplicas) {
		this.minReplicas = minReplicas;
	}

	public Duration getProbeInterval() {
		return this.probeInterval;
	}

	public void setProbeInterval(Duration probeInterval) {
		this.probeInterval = probeInterval;
	}

}
