package dev.haredis.test.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.haredis.test.history.HistoryRecord.Event;
import dev.haredis.test.history.HistoryRecord.Fault;
import dev.haredis.test.history.HistoryRecord.Header;
import dev.haredis.test.history.HistoryRecord.Link;
import dev.haredis.test.history.HistoryRecord.RoleAnswer;
import dev.haredis.test.history.HistoryRecord.SentinelAnswer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses the lines of a history file into {@link HistoryRecord records}. Optional numbers
 * ({@code downAfterMillis}, {@code took}, ...) absent from a line are -1.
 */
final class HistoryLines {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private HistoryLines() {
	}

	/**
	 * Parse one line.
	 * @param line a JSON object with at least {@code t} and {@code type}
	 * @return the record
	 * @throws IllegalArgumentException when the line is not a record of a known type
	 */
	@SuppressWarnings("unchecked")
	static HistoryRecord parse(String line) {
		Map<String, Object> fields;
		try {
			fields = JSON.readValue(line, LinkedHashMap.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("not a JSON object: " + ex.getOriginalMessage(), ex);
		}
		long t = number(fields, "t");
		String type = text(fields, "type");
		return switch (type) {
			case "header" -> new Header(t, text(fields, "redis"), text(fields, "scenario"), text(fields, "masterName"),
					(List<String>) fields.getOrDefault("sentinels", List.of()),
					(List<String>) fields.getOrDefault("dataNodes", List.of()), optionalNumber(fields, "downAfterMillis"),
					optionalNumber(fields, "failoverTimeoutMillis"), optionalNumber(fields, "pollIntervalMillis"),
					(Map<String, String>) fields.getOrDefault("announcedAddresses", Map.of()),
					String.valueOf(fields.getOrDefault("notes", "")));
			case "event" -> new Event(t, text(fields, "sentinel"), text(fields, "channel"), text(fields, "message"));
			case "sentinel" -> new SentinelAnswer(t, text(fields, "sentinel"),
					SentinelCommand.fromFileName(text(fields, "command")), fields.get("reply"), error(fields),
					optionalNumber(fields, "took"));
			case "role" -> new RoleAnswer(t, text(fields, "node"), (List<Object>) fields.get("reply"), error(fields),
					optionalNumber(fields, "took"));
			case "link" -> new Link(t, text(fields, "sentinel"), "up".equals(text(fields, "state")));
			case "fault" -> new Fault(t, text(fields, "description"));
			default -> throw new IllegalArgumentException("unknown type '" + type + "'");
		};
	}

	private static String text(Map<String, Object> fields, String name) {
		Object value = fields.get(name);
		if (value == null) {
			throw new IllegalArgumentException("no \"" + name + "\" in " + fields);
		}
		return String.valueOf(value);
	}

	private static @Nullable String error(Map<String, Object> fields) {
		Object error = fields.get("error");
		return (error != null) ? String.valueOf(error) : null;
	}

	private static long number(Map<String, Object> fields, String name) {
		if (!(fields.get(name) instanceof Number value)) {
			throw new IllegalArgumentException("no number \"" + name + "\" in " + fields);
		}
		return value.longValue();
	}

	private static long optionalNumber(Map<String, Object> fields, String name) {
		return (fields.get(name) instanceof Number value) ? value.longValue() : -1;
	}

}
