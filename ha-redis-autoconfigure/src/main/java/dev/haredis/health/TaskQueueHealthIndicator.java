package dev.haredis.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.haredis.queue.QueueState;
import dev.haredis.queue.TaskQueueStates;

/**
 * Shows the queues this application works on: tasks waiting, pending with a worker (and for how long the oldest),
 * waiting for a retry, and dead-lettered. Served from memory (the queues' housekeeping refreshes it about once a
 * second); always {@code UP}, as a backlog is not an outage: alert on the {@code ha.redis.queue.*} meters instead.
 */
public class TaskQueueHealthIndicator implements HealthIndicator {

	private final TaskQueueStates states;

	/**
	 * Create a new instance.
	 * @param states the queues' last states
	 */
	public TaskQueueHealthIndicator(TaskQueueStates states) {
		this.states = states;
	}

	@Override
	public Health health() {
		Health.Builder builder = Health.up();
		this.states.states().forEach((queue, state) -> builder.withDetail(queue, details(state)));
		return builder.build();
	}

	private static Map<String, Object> details(QueueState state) {
		Map<String, Object> details = new LinkedHashMap<>();
		if (state.waiting() != null) {
			details.put("waiting", state.waiting());
		}
		details.put("pending", state.pending());
		Duration oldest = state.oldestPending();
		if (oldest != null) {
			details.put("oldestPending", oldest.toString());
		}
		details.put("delayed", state.delayed());
		details.put("deadLetters", state.deadLetters());
		details.put("observedAt", state.observedAt().toString());
		return details;
	}

}
