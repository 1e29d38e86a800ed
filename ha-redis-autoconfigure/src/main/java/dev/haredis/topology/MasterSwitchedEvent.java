package dev.haredis.topology;

import java.time.Instant;

/**
 * The application moved to a new, role-verified master. The connection layer's listener runs first
 * ({@link TopologyListener#CONNECTIONS}), so every other listener, and every {@code @EventListener} of the
 * application, sees it after the connections to the old master were closed.
 *
 * @param masterName the master name
 * @param from the old master
 * @param to the new master
 * @param at when the application switched
 * @param cause what made it switch, for example {@code +switch-master from sentinel 10.0.0.7:26379}
 */
public record MasterSwitchedEvent(String masterName, NodeAddress from, NodeAddress to, Instant at, String cause)
		implements TopologyEvent {

}
