package dev.haredis.test;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The network partitions of a {@link FailoverTopology}: the current master cut off from the replicas and the
 * sentinels, with or without the application on its side. Connections stall, as in a partition, rather than close.
 * Every partition heals by itself after its bound at the latest, on {@link #heal()}, and on the topology's
 * {@code restore()} and close, also when a test fails.
 *
 * @param <N> how the topology names one of its data nodes
 */
public interface FailoverPartitions<N> {

	/**
	 * Return why partitions cannot be made here (they need Linux, root and iptables), or {@code null} when they can.
	 * @return the reason, or {@code null}
	 */
	@Nullable String unavailableReason();

	/**
	 * Cut the current master off from the replicas and the sentinels, both ways, while the application still
	 * reaches every node: the sentinels promote a replica and the old master keeps acknowledging writes that the
	 * promoted one never gets.
	 * @param maxDuration when the partition heals by itself
	 * @return the isolated master
	 * @throws IllegalStateException when partitions cannot be made here, with the reason
	 */
	N partitionMaster(Duration maxDuration);

	/**
	 * As {@link #partitionMaster(Duration)}, and the application cut off from the sentinels and the replicas too:
	 * it sits on the minority side with the old master. The topology's own commands still reach every node.
	 * @param maxDuration when the partition heals by itself
	 * @return the isolated master
	 * @throws IllegalStateException when partitions cannot be made here, with the reason
	 */
	N partitionMasterWithApplication(Duration maxDuration);

	/**
	 * Remove every partition: stalled connections resume and the sentinels turn the old master into a replica.
	 */
	void heal();

}
