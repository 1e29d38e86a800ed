package dev.haredis.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.haredis.topology.NodeAddress;

/**
 * What a node reports in {@code INFO replication}: its role, its replication offset and, for a master, each
 * connected replica as the master sees it ({@code slaveN:ip=..,port=..,state=..,offset=..,lag=..}).
 *
 * @param role {@code master} or {@code slave}
 * @param offset {@code master_repl_offset}, {@code -1} when missing
 * @param replicas for a master, its replicas as it lists them
 */
record ReplicationInfo(String role, long offset, List<ReplicationInfo.Replica> replicas) {

	ReplicationInfo {
		replicas = List.copyOf(replicas);
	}

	/**
	 * Read the answer to {@code INFO replication} (or to {@code INFO}: other sections are skipped).
	 * @param reply the answer
	 * @return what it says
	 * @throws IllegalArgumentException when it has no role or a replica line is unreadable
	 */
	static ReplicationInfo parse(String reply) {
		String role = null;
		long offset = -1;
		List<Replica> replicas = new ArrayList<>();
		for (String line : reply.lines().map(String::strip).toList()) {
			int colon = line.indexOf(':');
			if (line.startsWith("#") || colon < 0) {
				continue;
			}
			String key = line.substring(0, colon);
			String value = line.substring(colon + 1);
			if (key.equals("role")) {
				role = value;
			}
			else if (key.equals("master_repl_offset")) {
				offset = Long.parseLong(value);
			}
			else if (key.matches("slave\\d+")) {
				replicas.add(replica(line, value));
			}
		}
		if (role == null) {
			throw new IllegalArgumentException("No role in the INFO replication answer");
		}
		return new ReplicationInfo(role, offset, replicas);
	}

	/** {@code ip=127.0.0.1,port=30004,state=online,offset=1234,lag=0}; an IPv6 ip has no comma. */
	private static Replica replica(String line, String value) {
		Map<String, String> fields = new HashMap<>();
		for (String field : value.split(",")) {
			int equals = field.indexOf('=');
			if (equals > 0) {
				fields.put(field.substring(0, equals), field.substring(equals + 1));
			}
		}
		try {
			return new Replica(new NodeAddress(fields.get("ip"), Integer.parseInt(fields.get("port"))),
					fields.getOrDefault("state", "unknown"), Long.parseLong(fields.get("offset")));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Not a replica line: '" + line + "'", ex);
		}
	}

	/**
	 * Return whether the node reports the master role.
	 * @return whether it is a master
	 */
	boolean isMaster() {
		return "master".equals(this.role);
	}

	/**
	 * Return how far a replica is behind this master.
	 * @param replica one of its replicas
	 * @return the bytes it has not acknowledged yet, never below 0
	 */
	long lagBytes(Replica replica) {
		return Math.max(0, this.offset - replica.offset());
	}

	/**
	 * A replica as its master sees it.
	 *
	 * @param address the address the master sees (its {@code replica-announce-ip}, else the connection's peer)
	 * @param state {@code online}, or a full sync's {@code wait_bgsave} or {@code send_bulk}
	 * @param offset the replication offset it acknowledged
	 */
	record Replica(NodeAddress address, String state, long offset) {
	}

}
