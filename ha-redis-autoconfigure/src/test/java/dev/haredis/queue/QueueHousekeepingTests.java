package dev.haredis.queue;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class QueueHousekeepingTests {

	private final List<String> ran = new ArrayList<>();

	private final Map<String, Runnable> steps = new LinkedHashMap<>();

	private Instant now = Instant.parse("2026-01-01T00:00:00Z");

	private final Clock clock = new Clock() {

		@Override
		public Instant instant() {
			return QueueHousekeepingTests.this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	};

	@Test
	void runsEveryStepOncePerInterval() {
		this.steps.put("first", () -> this.ran.add("first"));
		this.steps.put("second", () -> this.ran.add("second"));
		QueueHousekeeping housekeeping = housekeeping();
		housekeeping.run();
		housekeeping.run();
		assertThat(this.ran).containsExactly("first", "second");
		this.now = this.now.plusSeconds(1);
		housekeeping.run();
		assertThat(this.ran).containsExactly("first", "second", "first", "second");
	}

	@Test
	void aStepThatGetsAnErrorReplyDoesNotStopTheOthers() {
		this.steps.put("failing", () -> {
			throw new RedisSystemException("WRONGTYPE", new RuntimeException("WRONGTYPE"));
		});
		this.steps.put("next", () -> this.ran.add("next"));
		housekeeping().run();
		assertThat(this.ran).containsExactly("next");
	}

	@Test
	void anOutageAndAMissingGroupAreLeftToTheWorkersLoop() {
		this.steps.put("unreachable", () -> {
			throw new RedisConnectionFailureException("Unable to connect", new ConnectException("Connection refused"));
		});
		assertThatExceptionOfType(RedisConnectionFailureException.class).isThrownBy(housekeeping()::run);
		this.steps.clear();
		this.steps.put("no group", () -> {
			throw new RedisSystemException("NOGROUP No such key", new RuntimeException("NOGROUP No such key"));
		});
		assertThatExceptionOfType(RedisSystemException.class).isThrownBy(housekeeping()::run);
	}

	@Test
	void aBugIsLeftToTheWorkersSupervisor() {
		this.steps.put("bug", () -> {
			throw new IllegalStateException("bug");
		});
		this.steps.put("next", () -> this.ran.add("next"));
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(housekeeping()::run);
		assertThat(this.ran).isEmpty();
	}

	private QueueHousekeeping housekeeping() {
		return new QueueHousekeeping("emails", this.clock, Duration.ofSeconds(1), this.steps);
	}

}
