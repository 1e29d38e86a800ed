package dev.haredis.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The fields of a task in its stream entry.
 *
 * @param id the task id
 * @param payload the payload, as JSON
 * @param attempt the attempt this entry is for, from 1
 * @param enqueuedAt when the task was first enqueued, in epoch milliseconds, or 0 for a first attempt (whose entry
 * id says when)
 * @param error why the task failed, in dead-letter entries
 */
record TaskFields(String id, String payload, int attempt, long enqueuedAt, @Nullable String error) {

	static final String ID = "id";

	static final String PAYLOAD = "payload";

	static final String ATTEMPT = "attempt";

	static final String ENQUEUED = "enqueued";

	static final String ERROR = "error";

	/**
	 * Read an entry's fields.
	 * @param fields the entry
	 * @return the task, or {@code null} when the entry is not a task (no id or payload, or a malformed number)
	 */
	static @Nullable TaskFields read(Map<String, String> fields) {
		String id = fields.get(ID);
		String payload = fields.get(PAYLOAD);
		if (id == null || payload == null) {
			return null;
		}
		try {
			return new TaskFields(id, payload, Integer.parseInt(fields.getOrDefault(ATTEMPT, "1")),
					Long.parseLong(fields.getOrDefault(ENQUEUED, "0")), fields.get(ERROR));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	TaskFields failedWith(String error) {
		return new TaskFields(this.id, this.payload, this.attempt, this.enqueuedAt, error);
	}

	Map<String, String> toMap() {
		Map<String, String> map = new LinkedHashMap<>();
		map.put(ID, this.id);
		map.put(PAYLOAD, this.payload);
		// A first attempt carries only its id and payload: fewer bytes for Redis to store and send.
		if (this.attempt > 1) {
			map.put(ATTEMPT, Integer.toString(this.attempt));
		}
		if (this.enqueuedAt > 0) {
			map.put(ENQUEUED, Long.toString(this.enqueuedAt));
		}
		if (this.error != null) {
			map.put(ERROR, this.error);
		}
		return map;
	}

	/**
	 * Return the fields as a flat list of names and values, as {@code XADD} takes them.
	 */
	List<String> flat() {
		return toMap().entrySet().stream().flatMap((entry) -> Stream.of(entry.getKey(), entry.getValue())).toList();
	}

}
