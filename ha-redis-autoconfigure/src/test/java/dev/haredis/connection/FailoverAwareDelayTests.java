package dev.haredis.connection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailoverAwareDelayTests {

	private final AtomicBoolean inDoubt = new AtomicBoolean();

	private final Delay delay = new FailoverAwareDelay(
			Delay.exponential(1, TimeUnit.SECONDS.toMillis(30), TimeUnit.MILLISECONDS, 2), this.inDoubt::get);

	@Test
	void keepsTheApplicationsBackOffWhileTheMasterIsKnown() {
		assertThat(this.delay.createDelay(9)).isEqualTo(Duration.ofMillis(256));
	}

	@Test
	void neverWaitsLongerThanTheTopologyTakesToDoubtAMaster() {
		// A master killed moments ago is still verified: the back-off grown since must not outlast the switch.
		assertThat(this.delay.createDelay(12)).isEqualTo(FailoverAwareDelay.CEILING);
	}

	@Test
	void capsTheBackOffWhileTheMasterIsInDoubt() {
		this.inDoubt.set(true);
		assertThat(this.delay.createDelay(12)).isEqualTo(FailoverAwareDelay.CAP);
		assertThat(this.delay.createDelay(2)).isEqualTo(Duration.ofMillis(2));
	}

}
