package dev.haredis.connection;

import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;

import dev.haredis.topology.SentinelTopology;

/**
 * Asks the topology to check with the sentinels at once when a server answers as if it were no longer the master:
 * {@code READONLY} (a demoted master), {@code LOADING} or {@code MASTERDOWN}. The failed command's error still
 * reaches the caller unchanged: writes are not retried behind the application's back.
 */
class ReadOnlyReplyListener implements CommandListener {

	private final SentinelTopology topology;

	/**
	 * Create a new instance.
	 * @param topology the topology to alert
	 */
	ReadOnlyReplyListener(SentinelTopology topology) {
		this.topology = topology;
	}

	@Override
	public void commandFailed(CommandFailedEvent event) {
		String message = event.getCause().getMessage();
		if (message != null && (message.startsWith("READONLY") || message.startsWith("LOADING")
				|| message.startsWith("MASTERDOWN"))) {
			this.topology.requestReconcile();
		}
	}

}
