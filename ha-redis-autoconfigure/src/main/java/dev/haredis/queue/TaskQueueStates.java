package dev.haredis.queue;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the last {@link QueueState} of each queue this application works on, and how its workers are, for the
 * health endpoint: served from memory, refreshed by the housekeeping workers and the workers' supervisors.
 * <p>
 * Public because the auto-configuration ({@code dev.haredis.autoconfigure.queue}) creates it; applications read
 * the {@code redisQueue} health instead.
 */
public class TaskQueueStates implements TaskQueueObserver {

	/** The status of a live worker; a failed one has its failure (never empty), a stopped one none. */
	private static final String LIVE = "";

	private final Map<String, QueueState> states = new ConcurrentHashMap<>();

	/** The status of each worker, by queue and worker. */
	private final Map<String, Map<String, String>> workers = new ConcurrentHashMap<>();

	@Override
	public void observed(QueueState state) {
		this.states.put(state.queue(), state);
	}

	@Override
	public void workerStarted(String queue, String worker) {
		workers(queue).put(worker, LIVE);
	}

	@Override
	public void workerFailed(String queue, String worker, String reason) {
		workers(queue).put(worker, reason);
	}

	@Override
	public void workerEnded(String queue, String worker, String reason) {
		workers(queue).put(worker, reason);
	}

	@Override
	public void workerStopped(String queue, String worker) {
		workers(queue).remove(worker);
	}

	private Map<String, String> workers(String queue) {
		return this.workers.computeIfAbsent(queue, (name) -> new ConcurrentHashMap<>());
	}

	/**
	 * Return the last state of each queue, by name.
	 * @return the states
	 */
	Map<String, QueueState> states() {
		return new TreeMap<>(this.states);
	}

	/**
	 * Return how the workers of each queue this application works on are, by name.
	 * @return the workers of each queue that has started some
	 */
	Map<String, Workers> workers() {
		Map<String, Workers> all = new TreeMap<>();
		this.workers.forEach((queue, workers) -> {
			int live = 0;
			String failure = null;
			for (String status : workers.values()) {
				if (LIVE.equals(status)) {
					live++;
				}
				else {
					failure = status;
				}
			}
			all.put(queue, new Workers(live, workers.size() - live, failure));
		});
		return all;
	}

	/**
	 * How the workers of a queue are.
	 *
	 * @param live workers running their loop
	 * @param failed workers whose loop failed, waiting to be restarted
	 * @param lastFailure the failure of one of the failed workers, when there are some
	 */
	record Workers(int live, int failed, @Nullable String lastFailure) {

		/**
		 * Whether the queue has workers, none of them live: its tasks are not processed here.
		 * @return whether every worker has failed
		 */
		boolean isDown() {
			return this.live == 0 && this.failed > 0;
		}

	}

}
