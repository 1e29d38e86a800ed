package dev.haredis.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One line of {@code CLUSTER NODES}, as a node of a cluster sees another (or itself): its id, address, flags, the
 * master it replicates and the slots it serves.
 *
 * @param id the node id
 * @param host the announced host
 * @param port the client port
 * @param flags the flags ({@code myself}, {@code master}, {@code slave}, {@code fail}, {@code fail?},
 * {@code handshake}, {@code noaddr}, ...)
 * @param masterId the id of the master it replicates, or {@code null} for a master
 * @param connected whether the cluster bus link to it is up
 * @param slots the slot ranges it serves (importing and migrating slots left out)
 */
public record ClusterNode(String id, String host, int port, Set<String> flags, @Nullable String masterId,
		boolean connected, List<ClusterNode.SlotRange> slots) {

	/**
	 * Parse the reply to {@code CLUSTER NODES}.
	 * @param reply the text, one node per line
	 * @return the nodes, in reply order
	 */
	public static List<ClusterNode> parseAll(String reply) {
		return reply.lines().filter((line) -> !line.isBlank()).map(ClusterNode::parse).toList();
	}

	/**
	 * Parse one line: {@code <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv>
	 * <config-epoch> <link-state> <slot> ...}.
	 * @param line the line
	 * @return the node
	 */
	public static ClusterNode parse(String line) {
		String[] fields = line.strip().split(" ");
		if (fields.length < 8) {
			throw new IllegalArgumentException("Not a CLUSTER NODES line: '" + line + "'");
		}
		String address = fields[1].split("[@,]")[0];
		int colon = address.lastIndexOf(':');
		List<SlotRange> slots = new ArrayList<>();
		for (int i = 8; i < fields.length; i++) {
			if (fields[i].startsWith("[")) {
				continue;
			}
			String[] range = fields[i].split("-");
			int first = Integer.parseInt(range[0]);
			slots.add(new SlotRange(first, (range.length > 1) ? Integer.parseInt(range[1]) : first));
		}
		return new ClusterNode(fields[0], address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)),
				Set.copyOf(Arrays.asList(fields[2].split(","))), "-".equals(fields[3]) ? null : fields[3],
				"connected".equals(fields[7]), List.copyOf(slots));
	}

	/**
	 * Return whether this node is a master, as the node that answered sees it.
	 * @return whether it has the {@code master} flag
	 */
	public boolean isMaster() {
		return this.flags.contains("master");
	}

	/**
	 * Return whether the node that answered thinks this one failed ({@code fail}) or may have ({@code fail?}).
	 * @return whether it is flagged failing
	 */
	public boolean isFailing() {
		return this.flags.contains("fail") || this.flags.contains("fail?");
	}

	/**
	 * Return whether this node serves a slot.
	 * @param slot the slot
	 * @return whether one of its ranges holds it
	 */
	public boolean serves(int slot) {
		return this.slots.stream().anyMatch((range) -> range.first() <= slot && slot <= range.last());
	}

	/**
	 * Return how many slots this node serves.
	 * @return the number of slots
	 */
	public int slotCount() {
		return this.slots.stream().mapToInt((range) -> range.last() - range.first() + 1).sum();
	}

	/**
	 * A range of slots, both ends included.
	 *
	 * @param first the first slot
	 * @param last the last slot
	 */
	public record SlotRange(int first, int last) {
	}

}
