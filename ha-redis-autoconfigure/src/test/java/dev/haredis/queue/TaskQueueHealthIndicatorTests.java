package dev.haredis.queue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class TaskQueueHealthIndicatorTests {

	private final TaskQueueStates states = new TaskQueueStates();

	private final TaskQueueHealthIndicator indicator = new TaskQueueHealthIndicator(this.states);

	@Test
	void isDownWhileAQueueHasNoLiveWorkerNamingTheQueueAndTheFailure() {
		this.states.workerStarted("emails", "w0");
		this.states.workerStarted("emails", "w1");
		this.states.workerStarted("reports", "w0");
		this.states.workerFailed("emails", "w0", "java.lang.IllegalStateException: bug");
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
		this.states.workerFailed("emails", "w1", "java.lang.IllegalStateException: bug");
		Health down = this.indicator.health();
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(details(down, "emails")).containsEntry("workers", 0)
			.containsEntry("failedWorkers", 2)
			.containsEntry("workerFailure", "java.lang.IllegalStateException: bug")
			.containsKey("down");
		assertThat(details(down, "reports")).containsEntry("workers", 1).doesNotContainKey("down");
		this.states.workerStarted("emails", "w1");
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void staysUpWhenTheWorkersStopWithTheApplication() {
		this.states.workerStarted("emails", "w0");
		this.states.workerFailed("emails", "w0", "java.lang.IllegalStateException: bug");
		this.states.workerStopped("emails", "w0");
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Health health, String queue) {
		return (Map<String, Object>) health.getDetails().get(queue);
	}

}
