package dev.haredis.queue;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the last {@link QueueState} of each queue this application works on, for the health endpoint: served from
 * memory, refreshed by the housekeeping workers.
 */
public class TaskQueueStates implements TaskQueueObserver {

	private final Map<String, QueueState> states = new ConcurrentHashMap<>();

	@Override
	public void observed(QueueState state) {
		this.states.put(state.queue(), state);
	}

	/**
	 * Return the last state of each queue, by name.
	 * @return the states
	 */
	public Map<String, QueueState> states() {
		return new TreeMap<>(this.states);
	}

}
