/**
 * The opt-in replication fence: writes fail fast while no replica has acknowledged the master's recent writes, so
 * that a master cut off from its replicas cannot acknowledge writes a failover would drop.
 */
@NullMarked
package dev.haredis.fence;

import org.jspecify.annotations.NullMarked;
