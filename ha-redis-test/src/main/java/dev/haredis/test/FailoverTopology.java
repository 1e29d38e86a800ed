package dev.haredis.test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A Redis master, replicas and sentinels that a failover test can break and mend, whatever runs them: processes on
 * 127.0.0.1 ({@link LocalSentinelTopology}) or containers ({@code RedisSentinelContainer} in
 * {@code ha-redis-testcontainers}). One test written against this interface runs on both.
 * <p>
 * Every fault acts on the master the sentinels agree on and that answers {@code ROLE} as master, and returns that
 * node, so the test can compare it with {@link #awaitNewMaster(Object, Duration) the new master} and ask both
 * {@link #command(Object, String...) commands}. {@link #restore()} brings the topology back to full health between
 * faults.
 *
 * <pre class="code">
 * N killed = topology.killMaster();
 * N promoted = topology.awaitNewMaster(killed, Duration.ofSeconds(30));
 * // ... the application writes; then:
 * assertThat(topology.role(promoted)).isEqualTo("master");
 * topology.restore(); // the killed master is back, as a replica of the promoted one
 * </pre>
 *
 * @param <N> how the topology names one of its data nodes: a {@link RedisProcess} for the local processes, the
 * address the node announces for the containers
 */
public interface FailoverTopology<N> {

	/**
	 * Return the master name the sentinels monitor ({@code ha.redis.sentinel.master}).
	 * @return the master name
	 */
	String masterName();

	/**
	 * Return the sentinels as the application reaches them, {@code host:port} joined with commas
	 * ({@code ha.redis.sentinel.nodes}).
	 * @return the sentinel nodes
	 */
	String sentinelNodes();

	/**
	 * Return the {@code ha.redis.*} properties that point an application at this topology: the master name and the
	 * sentinel nodes, and whatever else this topology needs (passwords, an address map). Some keys hold brackets
	 * and colons: add them as a property source rather than as {@code key=value} strings.
	 * @return the properties, in a stable order
	 */
	default Map<String, String> applicationProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("ha.redis.sentinel.master", masterName());
		properties.put("ha.redis.sentinel.nodes", sentinelNodes());
		return properties;
	}

	/**
	 * Return the data node the sentinels name as master and that answers {@code ROLE} as master, waiting a bounded
	 * time for one.
	 * @return the current master
	 */
	N master();

	/**
	 * Return the current master as the application reaches it ({@code host:port}), which behind port mapping
	 * differs from the address the sentinels announce.
	 * @return the reachable address of the current master
	 */
	String masterAddress();

	/**
	 * Return a data node's address as the application reaches it ({@code host:port}).
	 * @param node the node
	 * @return its reachable address
	 */
	String address(N node);

	/**
	 * Kill the current master ({@code SIGKILL}), as a crash would.
	 * @return the killed master
	 */
	N killMaster();

	/**
	 * Freeze the current master ({@code SIGSTOP}, {@code docker pause}): it keeps its connections open and answers
	 * nothing, as a master stuck in a long pause or cut off by a partition. {@link #unfreeze(Object)} or
	 * {@link #restore()} resumes it.
	 * @return the frozen master
	 */
	N freezeMaster();

	/**
	 * Resume a node frozen by {@link #freezeMaster()}.
	 * @param node the frozen node
	 */
	void unfreeze(N node);

	/**
	 * Ask a sentinel for a manual failover ({@code SENTINEL FAILOVER}); the old master stays up and is demoted to a
	 * replica of the new one.
	 * @return the master at the time of the request
	 */
	N failover();

	/**
	 * Return the partitions this topology can make (see {@link FailoverPartitions#unavailableReason()} for where).
	 * @return the partitions
	 */
	FailoverPartitions<N> partitions();

	/**
	 * Wait until the sentinels name a master other than {@code previous} and that node answers {@code ROLE} as
	 * master.
	 * @param previous the master before the fault
	 * @param timeout how long to wait at most
	 * @return the new master
	 */
	N awaitNewMaster(N previous, Duration timeout);

	/**
	 * Bring the topology back to full health after faults: heal partitions, start what was killed or stopped, resume
	 * what was frozen, and wait until every sentinel agrees on a master that every other data node replicates and
	 * has acknowledged a write from.
	 */
	void restore();

	/**
	 * Run one command on a data node, on a new connection.
	 * @param node the node
	 * @param arguments the command and its arguments
	 * @return the reply, as {@link RespConnection#command(String...)} returns it
	 */
	@Nullable Object command(N node, String... arguments);

	/**
	 * Return the role a data node reports through {@code ROLE}: {@code master} or {@code slave}.
	 * @param node the node
	 * @return the role
	 */
	default String role(N node) {
		List<?> reply = (List<?>) Objects.requireNonNull(command(node, "ROLE"), "ROLE");
		return String.valueOf(reply.get(0));
	}

}
