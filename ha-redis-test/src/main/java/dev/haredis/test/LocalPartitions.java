package dev.haredis.test;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The network partitions of a {@link LocalSentinelTopologyBuilder#partitionable() partitionable}
 * {@link LocalSentinelTopology} ({@link LocalSentinelTopology#partitions()}), made with iptables on the loopback
 * interface by {@link LoopbackPartitions}. Each one heals after its bound at the latest, on {@link #heal()}, and on
 * the topology's {@code restore()} or {@code close()}.
 */
public final class LocalPartitions implements FailoverPartitions<RedisProcess> {

	private final LocalFaults faults;

	private final @Nullable LoopbackPartitions loopback;

	LocalPartitions(LocalFaults faults, @Nullable LoopbackPartitions loopback) {
		this.faults = faults;
		this.loopback = loopback;
	}

	@Override
	public @Nullable String unavailableReason() {
		String reason = LoopbackPartitions.unavailableReason();
		if (this.loopback == null) {
			return "the topology was not built partitionable()" + ((reason != null) ? ", and " + reason : "");
		}
		return reason;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Here with iptables rules on the loopback interface that match the connections each server opens.
	 * @throws IllegalStateException when the topology was not built partitionable
	 */
	@Override
	public RedisProcess partitionMaster(Duration maxDuration) {
		return this.faults.partitionMaster(maxDuration, false);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The application is what connects from 127.0.0.1 and is no server; the topology's own commands come from
	 * 127.0.0.2.
	 * @throws IllegalStateException when the topology was not built partitionable
	 */
	@Override
	public RedisProcess partitionMasterWithApplication(Duration maxDuration) {
		return this.faults.partitionMaster(maxDuration, true);
	}

	@Override
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
