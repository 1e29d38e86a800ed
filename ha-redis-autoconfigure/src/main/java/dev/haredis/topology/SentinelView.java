package dev.haredis.topology;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one sentinel said when asked about the master: its address, its state, its replicas and the other
 * sentinels, and its own id.
 *
 * @param sentinel its address, as followed
 * @param problem why it did not answer, when it did not
 * @param master the master it names (as announced, until the core maps it)
 * @param masterState its {@code SENTINEL MASTER} answer
 * @param replicas its {@code SENTINEL REPLICAS} answer
 * @param sentinels its {@code SENTINEL SENTINELS} answer
 * @param quorumCheck its {@code SENTINEL CKQUORUM} answer
 * @param quorumOk whether that answer was {@code OK}
 * @param id its id ({@code SENTINEL MYID}, or the one the others announce it with), when known
 */
record SentinelView(NodeAddress sentinel, @Nullable String problem, @Nullable NodeAddress master,
		Map<String, String> masterState, List<Map<String, String>> replicas, List<Map<String, String>> sentinels,
		@Nullable String quorumCheck, boolean quorumOk, @Nullable String id) {

	SentinelView(NodeAddress sentinel, @Nullable String problem, @Nullable NodeAddress master,
			Map<String, String> masterState, List<Map<String, String>> replicas, List<Map<String, String>> sentinels,
			@Nullable String quorumCheck, boolean quorumOk) {
		this(sentinel, problem, master, masterState, replicas, sentinels, quorumCheck, quorumOk, null);
	}

	static SentinelView unreachable(NodeAddress sentinel, String problem) {
		return new SentinelView(sentinel, problem, null, Map.of(), List.of(), List.of(), null, false, null);
	}

	/**
	 * Return this view with the master it names mapped to a reachable address (sentinels answer with the address
	 * the master announces).
	 * @param addresses the topology's announced addresses
	 * @return the view
	 */
	SentinelView mapped(AnnouncedAddresses addresses) {
		return (this.master != null) ? new SentinelView(this.sentinel, this.problem, addresses.reachable(this.master),
				this.masterState, this.replicas, this.sentinels, this.quorumCheck, this.quorumOk, this.id) : this;
	}

	/**
	 * Return this view with the sentinel's id.
	 * @param id the id, when known
	 * @return the view
	 */
	SentinelView withId(@Nullable String id) {
		return new SentinelView(this.sentinel, this.problem, this.master, this.masterState, this.replicas,
				this.sentinels, this.quorumCheck, this.quorumOk, id);
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
