package dev.haredis.topology;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one sentinel said when asked about the master: its address, its state, its replicas and the other
 * sentinels.
 */
record SentinelView(NodeAddress sentinel, @Nullable String problem, @Nullable NodeAddress master,
		Map<String, String> masterState, List<Map<String, String>> replicas, List<Map<String, String>> sentinels,
		@Nullable String quorumCheck, boolean quorumOk) {

	static SentinelView unreachable(NodeAddress sentinel, String problem) {
		return new SentinelView(sentinel, problem, null, Map.of(), List.of(), List.of(), null, false);
	}

	boolean reachable() {
		return this.problem == null;
	}

	long configEpoch() {
		return number(this.masterState.get("config-epoch"));
	}

	int quorum() {
		return (int) number(this.masterState.get("quorum"));
	}

	boolean masterFlagged(String flag) {
		return this.masterState.getOrDefault("flags", "").contains(flag);
	}

	private static long number(@Nullable String value) {
		try {
			return (value != null) ? Long.parseLong(value) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
