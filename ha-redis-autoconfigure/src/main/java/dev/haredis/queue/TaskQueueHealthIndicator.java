package dev.haredis.queue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Shows the queues this application works on: tasks waiting, pending with a worker (and for how long the oldest),
 * waiting for a retry, and dead-lettered, and its workers. Served from memory (the queues' housekeeping refreshes it
 * about once a second). {@code DOWN} while a queue has no live worker (every worker's loop failed and waits for its
 * restart): the details name the queue and the failure. Otherwise {@code UP}, as a backlog is not an outage: alert
 * on the {@code ha.redis.queue.*} meters instead.
 * <p>
 * Public because the auto-configuration ({@code dev.haredis.autoconfigure.queue}) creates it, as the
 * {@code redisQueueHealthIndicator} bean.
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
		Map<String, QueueState> states = this.states.states();
		Map<String, TaskQueueStates.Workers> workers = this.states.workers();
		Map<String, Map<String, Object>> queues = new TreeMap<>();
		states.forEach((queue, state) -> queues.put(queue, details(state)));
		boolean down = false;
		for (Map.Entry<String, TaskQueueStates.Workers> entry : workers.entrySet()) {
			TaskQueueStates.Workers queueWorkers = entry.getValue();
			Map<String, Object> details = queues.computeIfAbsent(entry.getKey(), (queue) -> new LinkedHashMap<>());
			details.put("workers", queueWorkers.live());
			if (queueWorkers.failed() > 0) {
				details.put("failedWorkers", queueWorkers.failed());
				details.put("workerFailure", String.valueOf(queueWorkers.lastFailure()));
			}
			if (queueWorkers.isDown()) {
				down = true;
				details.put("down", "no live worker: every worker of this queue failed (see workerFailure), "
						+ "so its tasks are not processed here; failed loops are restarted with back-off");
			}
		}
		Health.Builder builder = down ? Health.down() : Health.up();
		queues.forEach(builder::withDetail);
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
