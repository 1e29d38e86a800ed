package dev.haredis.fence;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FenceCoreTests {

	private static final Instant START = Instant.parse("2026-12-07T12:00:00Z");

	private final FenceCore core = new FenceCore(Duration.ofMillis(500), Duration.ofMillis(100), 1, START);

	@Test
	void staysOpenWhileProbesAreAcknowledged() {
		for (int i = 0; i < 20; i++) {
			Instant sent = at(i * 100);
			assertThat(this.core.probeDue(sent)).isTrue();
			long generation = this.core.probeSent(sent);
			assertThat(this.core.probeDue(at(i * 100 + 50))).isFalse();
			assertThat(this.core.probeAnswered(generation, 1, at(i * 100 + 2))).isNull();
		}
		assertThat(this.core.tick(at(2000))).isNull();
		assertThat(this.core.closedBecause()).isNull();
	}

	@Test
	void closesOnceNoWriteOfTheLastMaxReplicaLagIsOnAReplicaAndSaysWhy() {
		long generation = this.core.probeSent(at(0));
		this.core.probeAnswered(generation, 1, at(1));
		generation = this.core.probeSent(at(100));
		// The replicas are cut off: WAIT times out with none.
		assertThat(this.core.tick(at(500))).isNull();
		FenceCore.FenceChange closed = this.core.tick(at(501));
		assertThat(closed).isNotNull();
		assertThat(closed.closed()).isTrue();
		assertThat(closed.unacknowledged()).isEqualTo(Duration.ofMillis(501));
		assertThat(this.core.probeAnswered(generation, 0, at(600))).isNull();
		assertThat(this.core.closedBecause()).contains("no write of the last 501 ms")
			.contains("ha.redis.fence.max-replica-lag=500ms");
	}

	@Test
	void opensWhenAProbeSentWithinTheLagIsAcknowledged() {
		this.core.tick(at(600));
		assertThat(this.core.closedBecause()).isNotNull();
		long late = this.core.probeSent(at(700));
		FenceCore.FenceChange opened = this.core.probeAnswered(late, 1, at(750));
		assertThat(opened).isNotNull();
		assertThat(opened.closed()).isFalse();
		assertThat(this.core.closedBecause()).isNull();
	}

	@Test
	void tooFewReplicasDoNotCount() {
		FenceCore twoReplicas = new FenceCore(Duration.ofMillis(500), Duration.ofMillis(100), 2, START);
		long generation = twoReplicas.probeSent(at(400));
		assertThat(twoReplicas.probeAnswered(generation, 1, at(401))).isNull();
		assertThat(twoReplicas.tick(at(501))).isNotNull();
		assertThat(twoReplicas.closedBecause()).contains("1 of the 2 replica(s) needed");
	}

	@Test
	void newMasterOpensTheFenceAndIgnoresTheOldMastersProbe() {
		long old = this.core.probeSent(at(0));
		this.core.tick(at(600));
		assertThat(this.core.closedBecause()).isNotNull();
		FenceCore.FenceChange opened = this.core.masterSwitched(at(700));
		assertThat(opened).isNotNull();
		assertThat(opened.closed()).isFalse();
		assertThat(this.core.probeAnswered(old, 1, at(701))).isNull();
		assertThat(this.core.acknowledgedUpTo()).isEqualTo(at(700));
		assertThat(this.core.probeDue(at(701))).isTrue();
	}

	@Test
	void failedProbeLeavesTheReasonAndAllowsTheNext() {
		long generation = this.core.probeSent(at(0));
		assertThat(this.core.probeFailed(generation, "master not reachable", at(10))).isNull();
		assertThat(this.core.probeDue(at(99))).isFalse();
		assertThat(this.core.probeDue(at(100))).isTrue();
		this.core.tick(at(501));
		assertThat(this.core.closedBecause()).endsWith(": master not reachable");
	}

	private static Instant at(long millis) {
		return START.plusMillis(millis);
	}

}
