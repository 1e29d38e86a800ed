package dev.haredis.test.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Keeps history files small: a poll answer is written only when it differs from the previous answer of the same
 * kind from the same source, once the fields that change at every poll are dropped. Replication offsets move all
 * the time, so an answer that differs only in its offsets is written at most once per {@link #OFFSET_INTERVAL_MILLIS}.
 */
final class AnswerFilter {

	static final long OFFSET_INTERVAL_MILLIS = 1000;

	/** Fields of SENTINEL MASTER / REPLICAS / SENTINELS entries that are clocks or counters of the last poll. */
	static final Set<String> VOLATILE_FIELDS = Set.of("last-ping-sent", "last-ok-ping-reply", "last-ping-reply",
			"info-refresh", "role-reported-time", "last-hello-message", "link-pending-commands", "link-refcount",
			"s-down-time", "o-down-time", "master-link-down-time");

	/** Fields that are replication offsets. */
	static final Set<String> OFFSET_FIELDS = Set.of("slave-repl-offset");

	private final Map<String, Written> last = new HashMap<>();

	/**
	 * Return whether an answer (already without its volatile fields) must be written, and remember it if so.
	 * @param key the source and kind of the answer
	 * @param answer the reply or the error text
	 * @param withoutOffsets the same answer with its replication offsets removed
	 * @param now the time in milliseconds
	 */
	synchronized boolean shouldWrite(String key, Object answer, Object withoutOffsets, long now) {
		Written previous = this.last.get(key);
		boolean write = previous == null || !previous.withoutOffsets().equals(withoutOffsets)
				|| (!previous.answer().equals(answer) && now - previous.at() >= OFFSET_INTERVAL_MILLIS);
		if (write) {
			this.last.put(key, new Written(answer, withoutOffsets, now));
		}
		return write;
	}

	/**
	 * Turn a sentinel reply into its JSON form without volatile fields: a map for {@code master}, a list of maps for
	 * {@code replicas} and {@code sentinels}, the reply itself otherwise.
	 */
	static @Nullable Object sentinelReply(SentinelCommand command, @Nullable Object reply) {
		return switch (command) {
			case MASTER -> fields(reply);
			case REPLICAS, SENTINELS -> ((List<?>) Objects.requireNonNull(reply)).stream().map(AnswerFilter::fields)
				.toList();
			default -> reply;
		};
	}

	/** The reply with its offsets dropped and its entries in a fixed order, for comparison only. */
	static Object comparable(SentinelCommand command, @Nullable Object reply) {
		if (reply instanceof Map<?, ?> map) {
			return withoutOffsets(map);
		}
		if ((command == SentinelCommand.REPLICAS || command == SentinelCommand.SENTINELS)
				&& reply instanceof List<?> entries) {
			List<Map<String, Object>> sorted = new ArrayList<>();
			entries.forEach((entry) -> sorted.add(withoutOffsets((Map<?, ?>) entry)));
			sorted.sort(Comparator.comparing((entry) -> entry.get("ip") + ":" + entry.get("port")));
			return sorted;
		}
		return String.valueOf(reply);
	}

	/** A ROLE reply with its offsets set to 0, for comparison only. */
	static Object roleWithoutOffsets(List<?> role) {
		List<@Nullable Object> copy = new ArrayList<>(role);
		if ("master".equals(copy.get(0)) && copy.size() >= 3) {
			copy.set(1, 0L);
			List<Object> replicas = new ArrayList<>();
			for (Object replica : (List<?>) Objects.requireNonNull(copy.get(2))) {
				List<Object> entry = new ArrayList<>((List<?>) replica);
				if (entry.size() >= 3) {
					entry.set(2, "0");
				}
				replicas.add(entry);
			}
			copy.set(2, replicas);
		}
		else if ("slave".equals(copy.get(0)) && copy.size() >= 5) {
			copy.set(4, 0L);
		}
		return copy;
	}

	private static Map<String, Object> fields(@Nullable Object reply) {
		List<?> list = (List<?>) Objects.requireNonNull(reply);
		Map<String, Object> fields = new LinkedHashMap<>();
		for (int i = 0; i + 1 < list.size(); i += 2) {
			String name = String.valueOf(list.get(i));
			if (!VOLATILE_FIELDS.contains(name)) {
				fields.put(name, String.valueOf(list.get(i + 1)));
			}
		}
		return fields;
	}

	private static Map<String, Object> withoutOffsets(Map<?, ?> fields) {
		Map<String, Object> copy = new LinkedHashMap<>();
		fields.forEach((name, value) -> {
			if (!OFFSET_FIELDS.contains(String.valueOf(name))) {
				copy.put(String.valueOf(name), value);
			}
		});
		return copy;
	}

	private record Written(Object answer, Object withoutOffsets, long at) {
	}

}
