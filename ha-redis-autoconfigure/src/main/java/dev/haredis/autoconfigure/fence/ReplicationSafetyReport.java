package dev.haredis.autoconfigure.fence;

import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.haredis.internal.BackgroundThreads;
import dev.haredis.topology.SentinelTopology;

/**
 * Says once at start-up, when the replication fence is off, whether the master bounds what it can acknowledge while
 * cut off from its replicas ({@code min-replicas-to-write}). Asked off the start-up's path, on a thread of its own;
 * a server that refuses {@code CONFIG GET} (a managed service, a restricted ACL user) is not reported on.
 */
class ReplicationSafetyReport implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ReplicationSafetyReport.class);

	private final RedisConnectionFactory connectionFactory;

	private final boolean fenceOn;

	private volatile boolean running;

	ReplicationSafetyReport(RedisConnectionFactory connectionFactory, boolean fenceOn) {
		this.connectionFactory = connectionFactory;
		this.fenceOn = fenceOn;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.fenceOn) {
			return;
		}
		BackgroundThreads.named("ha-redis-replication-report").newThread(this::report).start();
	}

	void report() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Properties config = connection.serverCommands().getConfig("min-replicas-to-write");
			String minReplicas = (config != null) ? config.getProperty("min-replicas-to-write") : null;
			if ("0".equals(minReplicas)) {
				logger.info("The master accepts writes without any replica (min-replicas-to-write 0) and the "
						+ "replication fence is off: writes it acknowledges while cut off from its replicas are lost "
						+ "in a failover. To bound them, set ha.redis.fence.max-replica-lag (for example 500ms) or "
						+ "min-replicas-to-write and min-replicas-max-lag on the servers (docs/production.md, "
						+ "'Asynchronous replication')");
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read min-replicas-to-write from the master", ex);
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return SentinelTopology.PHASE + 2;
	}

}
