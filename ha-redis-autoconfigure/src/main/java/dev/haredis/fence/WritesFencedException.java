package dev.haredis.fence;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * A write refused by the {@link ReplicationFence} before it reached the master: it was not acknowledged, so nothing
 * was silently lost. Transient: writes go again once a replica catches up or a new master is verified.
 */
public class WritesFencedException extends TransientDataAccessResourceException {

	/**
	 * Create a new instance.
	 * @param reason why the fence is closed
	 */
	public WritesFencedException(String reason) {
		super("Write refused by the replication fence: " + reason);
	}

}
