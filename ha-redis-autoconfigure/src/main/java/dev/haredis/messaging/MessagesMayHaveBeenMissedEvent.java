package dev.haredis.messaging;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.haredis.topology.NodeAddress;

/**
 * Published after a master switch, once the application's subscriptions receive again on the new master (or once
 * it gave up waiting). Pub/sub is fire-and-forget: a message published while the subscriptions were moving was
 * delivered to nobody, and is not delivered later. Use a queue (Redis Streams) for messages that must arrive.
 *
 * @param container the bean name of the listener container whose subscriptions moved
 * @param from the old master
 * @param to the new master
 * @param switchedAt when the application switched to the new master
 * @param resumedAt when a probe message proved the subscriptions receive again, or {@code null} if none did in
 * time
 */
public record MessagesMayHaveBeenMissedEvent(String container, NodeAddress from, NodeAddress to, Instant switchedAt,
		@Nullable Instant resumedAt) {

	/**
	 * Return how long after the switch the subscriptions received again.
	 * @return the time, or {@code null} if they did not in time
	 */
	public @Nullable Duration resubscribeTime() {
		return (this.resumedAt != null) ? Duration.between(this.switchedAt, this.resumedAt) : null;
	}

	/**
	 * Whether the subscriptions receive again.
	 * @return whether a probe message arrived after the switch
	 */
	public boolean resumed() {
		return this.resumedAt != null;
	}

}
