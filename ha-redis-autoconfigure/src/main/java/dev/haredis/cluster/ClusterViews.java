package dev.haredis.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

import dev.haredis.topology.NodeAddress;

/**
 * How the {@link ClusterCore} compares and merges views, slot by slot: pure functions of their arguments.
 */
final class ClusterViews {

	private ClusterViews() {
	}

	/**
	 * Merge a new answer into the known view slot by slot: a slot goes to the answer's master when its config epoch
	 * is at least the known one's (or the slot had none); replicas and failing nodes come from the answer.
	 */
	static ClusterView newer(ClusterView known, ClusterView answer) {
		ClusterView.Shard[] bySlot = new ClusterView.Shard[ClusterView.SLOTS];
		for (ClusterView.Shard shard : known.shards()) {
			shard.slots().forEach((range) -> fill(bySlot, range, shard));
		}
		for (ClusterView.Shard shard : answer.shards()) {
			for (ClusterView.SlotRange range : shard.slots()) {
				for (int slot = range.first(); slot <= range.last(); slot++) {
					if (bySlot[slot] == null || shard.configEpoch() >= bySlot[slot].configEpoch()) {
						bySlot[slot] = shard;
					}
				}
			}
		}
		Map<NodeAddress, List<ClusterView.SlotRange>> slots = new LinkedHashMap<>();
		Map<NodeAddress, ClusterView.Shard> shards = new LinkedHashMap<>();
		forEachRun(bySlot, (shard, range) -> {
			slots.computeIfAbsent(shard.master(), (master) -> new ArrayList<>()).add(range);
			shards.putIfAbsent(shard.master(), shard);
		});
		// The answer's replicas of a master are the fresher ones; its epoch never goes down.
		answer.shards()
			.forEach((shard) -> shards.computeIfPresent(shard.master(), (master, kept) -> new ClusterView.Shard(master,
					Math.max(kept.configEpoch(), shard.configEpoch()), kept.slots(), shard.replicas())));
		List<ClusterView.Shard> merged = shards.values()
			.stream()
			.map((shard) -> new ClusterView.Shard(shard.master(), shard.configEpoch(), slots.get(shard.master()),
					shard.replicas()))
			.toList();
		return new ClusterView(merged, answer.failing());
	}

	/**
	 * The slots whose master differs between two views, grouped by old and new master.
	 */
	static List<ShardFailoverEvent> moves(ClusterView before, ClusterView after, NodeAddress reportedBy,
			Instant now) {
		Map<List<NodeAddress>, List<ClusterView.SlotRange>> moved = new LinkedHashMap<>();
		int first = -1;
		List<NodeAddress> current = null;
		for (int slot = 0; slot <= ClusterView.SLOTS; slot++) {
			List<NodeAddress> pair = null;
			if (slot < ClusterView.SLOTS) {
				ClusterView.Shard from = before.shardOf(slot);
				ClusterView.Shard to = after.shardOf(slot);
				if (from != null && to != null && !from.master().equals(to.master())) {
					pair = List.of(from.master(), to.master());
				}
			}
			if (!Objects.equals(pair, current)) {
				if (current != null) {
					moved.computeIfAbsent(current, (key) -> new ArrayList<>())
						.add(new ClusterView.SlotRange(first, slot - 1));
				}
				current = pair;
				first = slot;
			}
		}
		return moved.entrySet()
			.stream()
			.map((entry) -> new ShardFailoverEvent(entry.getKey().get(0), entry.getKey().get(1), entry.getValue(),
					now, reportedBy))
			.toList();
	}

	private static void fill(ClusterView.Shard[] bySlot, ClusterView.SlotRange range, ClusterView.Shard shard) {
		for (int slot = range.first(); slot <= range.last(); slot++) {
			bySlot[slot] = shard;
		}
	}

	private static void forEachRun(ClusterView.Shard[] bySlot,
			BiConsumer<ClusterView.Shard, ClusterView.SlotRange> action) {
		int first = 0;
		for (int slot = 1; slot <= bySlot.length; slot++) {
			if (slot == bySlot.length || bySlot[slot] != bySlot[first]) {
				if (bySlot[first] != null) {
					action.accept(bySlot[first], new ClusterView.SlotRange(first, slot - 1));
				}
				first = slot;
			}
		}
	}

}
