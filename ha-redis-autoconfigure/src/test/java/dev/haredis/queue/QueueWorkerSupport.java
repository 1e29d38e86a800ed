package dev.haredis.queue;

import dev.haredis.test.RedisProcess;
import dev.haredis.test.RespConnection.RespErrorException;

/**
 * Sets up a queue's consumer group on a server directly, as another process would have.
 */
final class QueueWorkerSupport {

	private QueueWorkerSupport() {
	}

	static void createGroup(RedisProcess server, String stream) {
		try {
			server.command("XGROUP", "CREATE", stream, "workers", "0", "MKSTREAM");
		}
		catch (RespErrorException ex) {
			if (!String.valueOf(ex.getMessage()).contains("BUSYGROUP")) {
				throw ex;
			}
		}
	}

}
