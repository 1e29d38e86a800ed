package dev.haredis.connection;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.lettuce.core.resource.Delay;

/**
 * A reconnect delay that stays short while the topology has no verified master or a failover is in progress, so
 * that a connection lost with the old master reconnects within {@link #CAP} of the switch instead of waiting out
 * an exponential back-off grown during the outage (up to 30 s by default). Otherwise the application's own delay
 * applies.
 */
class FailoverAwareDelay extends Delay implements Delay.StatefulDelay {

	/**
	 * The longest delay while the master is in doubt.
	 */
	static final Duration CAP = Duration.ofMillis(100);

	private final Delay delegate;

	private final BooleanSupplier masterInDoubt;

	FailoverAwareDelay(Delay delegate, BooleanSupplier masterInDoubt) {
		this.delegate = delegate;
		this.masterInDoubt = masterInDoubt;
	}

	@Override
	public Duration createDelay(long attempt) {
		Duration delay = this.delegate.createDelay(attempt);
		return (this.masterInDoubt.getAsBoolean() && delay.compareTo(CAP) > 0) ? CAP : delay;
	}

	@Override
	public void reset() {
		if (this.delegate instanceof StatefulDelay stateful) {
			stateful.reset();
		}
	}

}
