package dev.haredis.topology;

/**
 * The verdict on a {@link TopologySnapshot}.
 */
public enum TopologyHealth {

	/** A role-verified master, a majority of the sentinels reachable, a replica online, no failover under way. */
	UP,

	/** Writes work, but the topology could not survive the next fault as it should. */
	DEGRADED,

	/** No role-verified master: writes fail or hang. */
	DOWN

}
