package dev.haredis.queue;

import dev.haredis.test.RedisProcess;
import dev.haredis.test.RespConnection.RespErrorException;

/**
 * Sets up a queue's consumer group on a server directly, as another process would have.
 */
final class QueueWorkerSupport {

	private QueueWorkerSupport() {
	}

	/**
	 * Have a worker of another process read the next task of a stream, then die without acknowledging it.
	 */
	static void readAsADeadWorker(RedisProcess server, String stream) {
		createGroup(server, stream);
		server.command("XREADGROUP", "GROUP", "workers", "dead-worker", "COUNT", "1", "STREAMS", stream, ">");
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
