package dev.haredis.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.haredis.topology.NodeAddress;

/**
 * The shards of a cluster as one node described them in its answer to {@code CLUSTER NODES}: each master with its
 * config epoch, slot ranges and replicas, and the nodes it flags as failing.
 *
 * @param shards the shards, by master, in slot order
 * @param failing the nodes the answering node flags {@code fail} or {@code fail?}
 */
public record ClusterView(List<ClusterView.Shard> shards, Set<NodeAddress> failing) {

	/** How many hash slots a cluster has. */
	public static final int SLOTS = 16384;

	public ClusterView {
		shards = List.copyOf(shards);
		failing = Set.copyOf(failing);
	}

	/**
	 * Read the answer to {@code CLUSTER NODES}: {@code <id> <ip:port@cport[,hostname]> <flags> <master>
	 * <ping-sent> <pong-recv> <config-epoch> <link-state> <slot> ...}; importing and migrating slots are left out.
	 * @param reply the answer
	 * @return the view
	 * @throws IllegalArgumentException when a line is not a node's
	 */
	public static ClusterView parse(String reply) {
		record Line(String id, NodeAddress address, Set<String> flags, @Nullable String masterId, long epoch,
				List<SlotRange> slots) {
		}
		List<Line> lines = new ArrayList<>();
		for (String text : reply.lines().filter((line) -> !line.isBlank()).toList()) {
			String[] fields = text.strip().split(" ");
			if (fields.length < 8) {
				throw new IllegalArgumentException("Not a CLUSTER NODES line: '" + text + "'");
			}
			List<SlotRange> slots = new ArrayList<>();
			for (int i = 8; i < fields.length; i++) {
				if (!fields[i].startsWith("[")) {
					String[] range = fields[i].split("-");
					int first = Integer.parseInt(range[0]);
					slots.add(new SlotRange(first, (range.length > 1) ? Integer.parseInt(range[1]) : first));
				}
			}
			// ip:port@cport[,hostname]: the announced hostname when there is one (Redis 7, as Lettuce routes by
			// it), else the IP; an IPv6 IP comes without brackets, and a node that does not know its address yet
			// (noaddr, or its own line early on) shows none: it is left out.
			String address = fields[1].split("[@,]")[0];
			String hostname = hostname(fields[1]);
			int colon = address.lastIndexOf(':');
			int port = (colon > 0) ? Integer.parseInt(address.substring(colon + 1)) : 0;
			if (port > 0) {
				String host = (hostname != null) ? hostname : address.substring(0, colon);
				lines.add(new Line(fields[0], new NodeAddress(host, port),
						Set.of(fields[2].split(",")), "-".equals(fields[3]) ? null : fields[3],
						Long.parseLong(fields[6]), slots));
			}
		}
		Map<String, Line> masters = new LinkedHashMap<>();
		lines.stream().filter((line) -> line.flags().contains("master")).forEach((line) -> masters.put(line.id(), line));
		List<Shard> shards = new ArrayList<>();
		for (Line master : masters.values()) {
			if (master.slots().isEmpty()) {
				continue;
			}
			List<NodeAddress> replicas = lines.stream()
				.filter((line) -> master.id().equals(line.masterId()))
				.map(Line::address)
				.toList();
			shards.add(new Shard(master.address(), master.epoch(), master.slots(), replicas));
		}
		shards.sort(Comparator.comparingInt((shard) -> shard.slots().get(0).first()));
		Set<NodeAddress> failing = Set.copyOf(lines.stream()
			.filter((line) -> line.flags().contains("fail") || line.flags().contains("fail?"))
			.map(Line::address)
			.toList());
		return new ClusterView(shards, failing);
	}

	/**
	 * The hostname a node announces ({@code cluster-announce-hostname}): the first field after {@code @cport,},
	 * unless empty or an auxiliary {@code name=value} field.
	 */
	private static @Nullable String hostname(String endpoint) {
		int at = endpoint.indexOf('@');
		int comma = (at < 0) ? -1 : endpoint.indexOf(',', at);
		if (comma < 0) {
			return null;
		}
		String hostname = endpoint.substring(comma + 1).split(",")[0];
		return (hostname.isEmpty() || hostname.contains("=")) ? null : hostname;
	}

	/**
	 * Return every node this view lists in a shard, masters and replicas.
	 * @return the nodes
	 */
	public Set<NodeAddress> nodes() {
		Set<NodeAddress> nodes = new LinkedHashSet<>();
		this.shards.forEach((shard) -> {
			nodes.add(shard.master());
			nodes.addAll(shard.replicas());
		});
		return nodes;
	}

	/**
	 * Return the shard whose master serves a slot, as this view says.
	 * @param slot the slot
	 * @return the shard, or {@code null} when no master serves it
	 */
	public @Nullable Shard shardOf(int slot) {
		return this.shards.stream().filter((shard) -> shard.serves(slot)).findFirst().orElse(null);
	}

	/**
	 * Return how many slots are served in this view, by all masters together.
	 * @return the number of slots served
	 */
	public int slotsServed() {
		return this.shards.stream().mapToInt(Shard::slotCount).sum();
	}

	/**
	 * One master, the slots it serves and its replicas.
	 *
	 * @param master the master, as it announces itself
	 * @param configEpoch its config epoch: of two masters claiming a slot, the higher epoch's claim is the newer
	 * @param slots the slot ranges it serves
	 * @param replicas its replicas
	 */
	public record Shard(NodeAddress master, long configEpoch, List<SlotRange> slots, List<NodeAddress> replicas) {

		public Shard {
			slots = List.copyOf(slots);
			replicas = List.copyOf(replicas);
		}

		/**
		 * Return whether the master serves a slot.
		 * @param slot the slot
		 * @return whether one of its ranges holds it
		 */
		public boolean serves(int slot) {
			return this.slots.stream().anyMatch((range) -> range.first() <= slot && slot <= range.last());
		}

		/**
		 * Return how many slots the master serves.
		 * @return the number of slots
		 */
		public int slotCount() {
			return this.slots.stream().mapToInt((range) -> range.last() - range.first() + 1).sum();
		}

	}

	/**
	 * A range of slots, both ends included.
	 *
	 * @param first the first slot
	 * @param last the last slot
	 */
	public record SlotRange(int first, int last) {

		@Override
		public String toString() {
			return (this.first == this.last) ? Integer.toString(this.first) : this.first + "-" + this.last;
		}

	}

}
