package dev.haredis.topology;

import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import dev.haredis.test.history.SentinelHistory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shell's promise to callers that must never wait for the topology thread (a Netty event loop, whose I/O that
 * thread may need): an answer at once, and the discovery queued. Runs the real {@link SentinelTopology} on a
 * recording, without monitoring, so that every new connection asks for the master.
 */
class SentinelTopologyTests {

	private final ReplayTransport transport = SentinelHistoryReplay
		.transport(SentinelHistory.fromResource("sentinel-histories/7.0/kill.jsonl"));

	private final SentinelTopology topology = SentinelHistoryReplay.topology(this.transport, false, (event) -> {
	});

	@Test
	void aCallerThatMustNotWaitFailsClearlyWhileNoMasterIsKnownAndTheDiscoveryRunsMeanwhile() {
		this.transport.runUntil(SentinelHistoryReplay.STARTED_AT);
		this.transport.callersMustNotWait(true);

		assertThatExceptionOfType(RedisConnectionException.class).isThrownBy(this.topology::masterForNewConnection)
			.withMessage("No master of 'mymaster' is known: it is being looked for (asked on a thread that must not wait)");
		assertThat(this.transport.pending()).as("the discovery is queued").isTrue();
		this.transport.runUntil(SentinelHistoryReplay.STARTED_AT + 100);

		assertThat(this.topology.getMaster()).isPresent();
	}

	@Test
	void aCallerThatMustNotWaitGetsTheLastVerifiedMasterAtOnceWhenItIsDueForAnotherCheck() {
		this.transport.runUntil(SentinelHistoryReplay.STARTED_AT);
		NodeAddress found = this.topology.masterForNewConnection();
		long verified = this.transport.elapsed();
		this.transport.runUntil(verified + MasterRoute.REUSE_VERIFICATION.toMillis() + 50);
		this.transport.callersMustNotWait(true);

		assertThat(this.topology.masterForNewConnection()).isEqualTo(found);
		assertThat(this.transport.elapsed()).as("no time passed: nothing was waited for")
			.isEqualTo(verified + MasterRoute.REUSE_VERIFICATION.toMillis() + 50);
		assertThat(this.transport.pending()).as("the discovery is queued").isTrue();
	}

	@Test
	void aCallerThatMayWaitGetsTheMasterTheDiscoveryFinds() {
		this.transport.runUntil(SentinelHistoryReplay.STARTED_AT);

		NodeAddress found = this.topology.masterForNewConnection();

		assertThat(this.topology.getMaster()).hasValueSatisfying((master) -> assertThat(master.address()).isEqualTo(found));
		assertThat(this.transport.elapsed()).as("the caller waited for the discovery")
			.isGreaterThan(SentinelHistoryReplay.STARTED_AT);
	}

}
