package dev.haredis.connection;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.lettuce.core.resource.Delay;

/**
 * A reconnect delay that stays short while the topology has no verified master or a failover is in progress, so
 * that a connection lost with the old master reconnects within {@link #CAP} of the switch instead of waiting out
 * an exponential back-off grown during the outage (up to 30 s by default). Otherwise the application's own delay
 * applies, up to {@link #CEILING}: a delay is fixed when the reconnect is scheduled, and right after a master dies
 * the topology still holds it verified until its next check fails (up to a refresh interval and a timeout later);
 * a reconnect scheduled then must not outlast the switch that follows by seconds.
 */
class FailoverAwareDelay extends Delay implements Delay.StatefulDelay {

	/**
	 * The longest delay while the master is in doubt.
	 */
	static final Duration CAP = Duration.ofMillis(100);

	/**
	 * The longest delay at all: about the topology's refresh interval, the longest it takes to doubt a master.
	 */
	static final Duration CEILING = Duration.ofSeconds(1);

	private final Delay delegate;

	private final BooleanSupplier masterInDoubt;

	FailoverAwareDelay(Delay delegate, BooleanSupplier masterInDoubt) {
		this.delegate = delegate;
		this.masterInDoubt = masterInDoubt;
	}

	@Override
	public Duration createDelay(long attempt) {
		Duration delay = this.delegate.createDelay(attempt);
		Duration longest = this.masterInDoubt.getAsBoolean() ? CAP : CEILING;
		return (delay.compareTo(longest) > 0) ? longest : delay;
	}

	@Override
	public void reset() {
		if (this.delegate instanceof StatefulDelay stateful) {
			stateful.reset();
		}
	}

}
