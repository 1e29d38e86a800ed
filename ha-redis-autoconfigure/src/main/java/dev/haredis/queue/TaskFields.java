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
	 * The longest task id accepted: ids are UUIDs (36 characters) unless a producer of its own chose them.
	 */
	static final int MAX_ID_LENGTH = 200;

	/**
	 * Read an entry's fields.
	 * @param fields the entry
	 * @return the task, or {@code null} when the entry is not a task (see {@link #whyNotATask(Map)})
	 */
	static @Nullable TaskFields read(Map<String, String> fields) {
		if (whyNotATask(fields) != null) {
			return null;
		}
		return new TaskFields(fields.get(ID), fields.get(PAYLOAD), Integer.parseInt(fields.getOrDefault(ATTEMPT, "1")),
				Long.parseLong(fields.getOrDefault(ENQUEUED, "0")), fields.get(ERROR));
	}

	/**
	 * Say why an entry is not a task, naming its fields but never showing their values.
	 * @param fields the entry
	 * @return the reason, or {@code null} when it is a task
	 */
	static @Nullable String whyNotATask(Map<String, String> fields) {
		String id = fields.get(ID);
		if (id == null || fields.get(PAYLOAD) == null) {
			return "no '" + ((id == null) ? ID : PAYLOAD) + "' field";
		}
		if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
			return "an id that is blank or longer than " + MAX_ID_LENGTH + " characters";
		}
		try {
			if (Integer.parseInt(fields.getOrDefault(ATTEMPT, "1")) < 1) {
				return "an attempt below 1";
			}
			Long.parseLong(fields.getOrDefault(ENQUEUED, "0"));
		}
		catch (NumberFormatException ex) {
			return "a malformed '" + ATTEMPT + "' or '" + ENQUEUED + "' number";
		}
		return null;
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
