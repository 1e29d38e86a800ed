package dev.haredis.test;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The network partitions of a {@link LocalSentinelTopologyBuilder#partitionable() partitionable}
 * {@link LocalSentinelTopology} ({@link LocalSentinelTopology#partitions()}), made with iptables on the loopback
 * interface by {@link LoopbackPartitions}. Each one heals after its bound at the latest, on {@link #heal()}, and on
 * the topology's {@code restore()} or {@code close()}.
 */
public final class LocalPartitions {

	private final LocalFaults faults;

	private final @Nullable LoopbackPartitions loopback;

	LocalPartitions(LocalFaults faults, @Nullable LoopbackPartitions loopback) {
		this.faults = faults;
		this.loopback = loopback;
	}

	/**
	 * Cut the current master off from the replicas and the sentinels (both directions; connections stall, as in a
	 * partition, rather than close), while the application still reaches every node: the sentinels promote a
	 * replica and the old master keeps acknowledging writes that the promoted one never gets.
	 * @param maxDuration when the partition heals by itself
	 * @return the isolated master
	 * @throws IllegalStateException when the topology was not built partitionable
	 */
	public RedisProcess partitionMaster(Duration maxDuration) {
		return this.faults.partitionMaster(maxDuration, false);
	}

	/**
	 * As {@link #partitionMaster(Duration)}, and the application (connections from 127.0.0.1 that no server opened)
	 * is cut off from the sentinels and the replicas too: it sits on the minority side with the old master. The
	 * topology's own commands come from 127.0.0.2 and still reach everything.
	 * @param maxDuration when the partition heals by itself
	 * @return the isolated master
	 * @throws IllegalStateException when the topology was not built partitionable
	 */
	public RedisProcess partitionMasterWithApplication(Duration maxDuration) {
		return this.faults.partitionMaster(maxDuration, true);
	}

	/**
	 * Remove every partition; stalled connections resume and the sentinels turn the old master into a replica.
	 */
	public void heal() {
		if (this.loopback != null) {
			this.loopback.heal();
		}
	}

	/** Heal and remove the rules and cgroups, once the processes are gone. */
	void close() {
		if (this.loopback != null) {
			this.loopback.close();
		}
	}

}
