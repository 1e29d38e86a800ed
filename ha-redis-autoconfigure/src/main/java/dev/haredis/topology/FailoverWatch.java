package dev.haredis.topology;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Whether a failover is in progress, and since when there was trouble with the master, from the configured
 * sentinels' events. Part of the {@link TopologyCore}: no I/O, no clock.
 */
final class FailoverWatch {

	static final Set<String> FAILOVER_STARTED = Set.of("+odown", "+try-failover", "+elected-leader",
			"+failover-state-select-slave", "+selected-slave", "+failover-state-send-slaveof-noone",
			"+failover-state-wait-promotion", "+promoted-slave", "+failover-state-reconf-slaves");

	static final Set<String> FAILOVER_ENDED = Set.of("+failover-end", "+failover-end-for-timeout", "-odown",
			"-failover-abort-not-elected", "-failover-abort-no-good-slave", "-failover-abort-slave-timeout");

	private @Nullable Instant troubleSince;

	private boolean inProgress;

	void observed(SentinelEvent event) {
		String type = event.type();
		boolean started = FAILOVER_STARTED.contains(type);
		if (event.isAboutMaster() && ("+sdown".equals(type) || started) && this.troubleSince == null) {
			this.troubleSince = event.at();
		}
		this.inProgress |= started;
		if (FAILOVER_ENDED.contains(type)) {
			this.inProgress = false;
		}
	}

	/** The application switched: the failover is over for it. Returns when the trouble started. */
	@Nullable Instant switched() {
		Instant since = this.troubleSince;
		this.troubleSince = null;
		this.inProgress = false;
		return since;
	}

	boolean inProgress() {
		return this.inProgress;
	}

}
