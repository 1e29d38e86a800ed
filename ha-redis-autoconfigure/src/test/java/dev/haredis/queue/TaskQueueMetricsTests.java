package dev.haredis.queue;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TaskQueueMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final TaskHandlers handlers = new TaskHandlers();

	private final TaskQueueMetrics metrics = new TaskQueueMetrics(this.registry, this.handlers,
			List.of("reports"));

	@Test
	void enqueuesToAThousandNamesCreateABoundedNumberOfMeters() {
		this.handlers.register("emails", String.class, (payload, context) -> null);
		for (int i = 0; i < 1_000; i++) {
			this.metrics.enqueued("random-" + i);
			this.metrics.failed("random-" + i, Duration.ofMillis(1), true);
			this.metrics.deadLettered("random-" + i, "failed");
		}
		this.metrics.enqueued("emails");
		this.metrics.enqueued("reports");
		List<String> queueTags = this.registry.getMeters()
			.stream()
			.map((meter) -> meter.getId().getTag("queue"))
			.distinct()
			.toList();
		assertThat(queueTags).containsExactlyInAnyOrder("other", "emails", "reports");
		assertThat(this.registry.getMeters()).hasSizeLessThan(30);
		assertThat(this.registry.get("ha.redis.queue.enqueued").tag("queue", "other").counter().count())
			.isEqualTo(1_000);
		assertThat(this.registry.get("ha.redis.queue.enqueued").tag("queue", "emails").counter().count()).isEqualTo(1);
	}

	@Test
	void countsWorkerRestartsAndDroppedDeadLettersByQueue() {
		this.handlers.register("emails", String.class, (payload, context) -> null);
		this.metrics.workerFailed("emails", "worker-0", "java.lang.IllegalStateException: bug");
		this.metrics.workerFailed("emails", "worker-1", "java.lang.IllegalStateException: bug");
		// Ended for good: not restarted, so not a restart.
		this.metrics.workerEnded("emails", "worker-1", "its thread ended");
		this.metrics.deadLettersDropped("emails", 250);
		this.metrics.deadLettersDropped("emails", 100);
		assertThat(this.registry.get("ha.redis.queue.worker.restarts").tag("queue", "emails").counter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("ha.redis.queue.dead.letters.dropped").tag("queue", "emails").counter().count())
			.isEqualTo(350);
		assertThat(this.registry.getMeters()).extracting(Meter::getId)
			.allSatisfy((id) -> assertThat(id.getTag("queue")).isEqualTo("emails"));
	}

}
