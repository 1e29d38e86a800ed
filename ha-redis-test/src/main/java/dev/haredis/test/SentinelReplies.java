package dev.haredis.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Reading what a sentinel says of the instances it monitors ({@code SENTINEL MASTER}, {@code SENTINEL REPLICAS}),
 * for the topologies' waits.
 */
public final class SentinelReplies {

	private SentinelReplies() {
	}

	/**
	 * Read one instance, which a sentinel describes as a flat list of names and values.
	 * @param reply the reply to {@code SENTINEL MASTER}, or one element of {@code SENTINEL REPLICAS}
	 * @return the fields by name, in reply order
	 */
	public static Map<String, String> fields(@Nullable Object reply) {
		List<?> flat = (List<?>) Objects.requireNonNull(reply, "a sentinel's description of an instance");
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 0; i + 1 < flat.size(); i += 2) {
			fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
		}
		return fields;
	}

	/**
	 * Count the replicas a sentinel sees online, as the application's health does: neither down nor disconnected,
	 * their link to the master up. A sentinel refreshes its view of a replica every 10 s, and until then still shows
	 * the link a failover or a restart broke.
	 * @param replicas the reply to {@code SENTINEL REPLICAS}
	 * @return how many are online
	 */
	public static long onlineReplicas(@Nullable Object replicas) {
		return ((List<?>) Objects.requireNonNull(replicas, "the reply to SENTINEL REPLICAS")).stream()
			.map(SentinelReplies::fields)
			.filter((replica) -> {
				String flags = replica.getOrDefault("flags", "");
				return !flags.contains("down") && !flags.contains("disconnected")
						&& "ok".equals(replica.get("master-link-status"));
			})
			.count();
	}

}
