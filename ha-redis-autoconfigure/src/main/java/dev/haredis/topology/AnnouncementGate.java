package dev.haredis.topology;

import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * Keeps sentinel events in order around an announced master's role check: while the node a {@code +switch-master}
 * named is asked its role, the events that arrive are held, and taken after the answer, so listeners hear of the
 * switch before what followed it. Part of the {@link TopologyCore}: no I/O.
 */
final class AnnouncementGate {

	/** Events held while an announced master's role is checked; beyond this, the oldest are dropped. */
	private static final int MAX_HELD_EVENTS = 1000;

	private final Deque<SentinelEvent> held = new ArrayDeque<>();

	private TopologyDecision.@Nullable CheckRoleThenSwitch checking;

	/**
	 * Hold an event if a role check is under way.
	 * @param event the event
	 * @return whether it was held
	 */
	boolean hold(SentinelEvent event) {
		if (this.checking == null) {
			return false;
		}
		if (this.held.size() == MAX_HELD_EVENTS) {
			this.held.removeFirst();
		}
		this.held.addLast(event);
		return true;
	}

	void checking(TopologyDecision.CheckRoleThenSwitch check) {
		this.checking = check;
	}

	/**
	 * An answer came for a role check: whether it is the one under way, which then ends.
	 * @param check the check answered
	 * @return whether it was the one under way
	 */
	boolean answered(TopologyDecision.CheckRoleThenSwitch check) {
		if (!check.equals(this.checking)) {
			return false;
		}
		this.checking = null;
		return true;
	}

	/**
	 * Return the next event held, unless another role check began meanwhile.
	 * @return the event, or {@code null}
	 */
	@Nullable SentinelEvent release() {
		return (this.checking == null) ? this.held.pollFirst() : null;
	}

}
