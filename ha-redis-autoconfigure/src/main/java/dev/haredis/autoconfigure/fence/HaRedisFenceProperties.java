package dev.haredis.autoconfigure.fence;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import dev.haredis.autoconfigure.internal.PropertyChecks;

/**
 * Properties of the replication fence ({@code ha.redis.fence.*}), off unless {@code max-replica-lag} is set. Values
 * are checked when they are bound.
 */
@ConfigurationProperties("ha.redis.fence")
public class HaRedisFenceProperties implements Validator {

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

	@Override
	public boolean supports(Class<?> type) {
		return HaRedisFenceProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		HaRedisFenceProperties properties = (HaRedisFenceProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		checks.positive("max-replica-lag", properties.getMaxReplicaLag(), "500ms (or remove it to switch the fence off)");
		checks.atLeast("min-replicas", properties.getMinReplicas(), 1, "replicas that must have acknowledged");
		checks.positive("probe-interval", properties.getProbeInterval(), "100ms");
		Duration lag = properties.getMaxReplicaLag();
		if (lag != null && !lag.isNegative() && !lag.isZero() && properties.getProbeInterval().multipliedBy(2).compareTo(lag) >= 0) {
			checks.reject("probe-interval", "must be under half of ha.redis.fence.max-replica-lag (" + lag.toMillis()
					+ "ms), so that a probe answers in time; lower it or raise max-replica-lag");
		}
	}

}
