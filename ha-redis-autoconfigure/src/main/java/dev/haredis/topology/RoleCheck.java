package dev.haredis.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * What a data node reports through {@code ROLE}.
 *
 * @param node the node asked
 * @param role {@code master}, {@code slave} or {@code sentinel}
 * @param offset the replication offset it reports
 * @param replicas for a master, its connected replicas and the offset each has acknowledged
 */
record RoleCheck(NodeAddress node, String role, long offset, List<ReplicaOffset> replicas) {

	RoleCheck {
		replicas = List.copyOf(replicas);
	}

	/**
	 * Return whether the node reports the master role.
	 * @return whether it is a master
	 */
	public boolean isMaster() {
		return "master".equals(this.role);
	}

	static RoleCheck of(NodeAddress node, List<Object> reply) {
		String role = reply.isEmpty() ? "unknown" : String.valueOf(reply.get(0));
		long offset = (reply.size() > 1 && reply.get(1) instanceof Number number) ? number.longValue() : -1;
		List<ReplicaOffset> replicas = new ArrayList<>();
		if ("master".equals(role) && reply.size() > 2 && reply.get(2) instanceof List<?> entries) {
			for (Object entry : entries) {
				if (entry instanceof List<?> fields && fields.size() >= 3) {
					replicas.add(new ReplicaOffset(
							new NodeAddress(String.valueOf(fields.get(0)), Integer.parseInt(String.valueOf(fields.get(1)))),
							Long.parseLong(String.valueOf(fields.get(2)))));
				}
			}
		}
		return new RoleCheck(node, role, offset, replicas);
	}

	/**
	 * A replica as its master sees it.
	 *
	 * @param address the address the replica announced
	 * @param offset the replication offset it acknowledged
	 */
	public record ReplicaOffset(NodeAddress address, long offset) {

	}

}
