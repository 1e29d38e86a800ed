package dev.haredis.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Everything the {@link SentinelTopology} shell does that is not a decision: the topology thread and its clock,
 * and the I/O with sentinels and data nodes. Lettuce and a single-thread scheduler in production
 * ({@link LettuceTopologyTransport}); a recorded history on a virtual clock in the replay tests, so that they run
 * the real shell.
 * <p>
 * Answers come as futures completed on any thread and never exceptionally (a failure is an answer too), except
 * {@link #discover()}, which fails with a {@link MasterDiscoveryException}; the shell hands each one to the topology
 * thread with {@link #execute}.
 */
interface TopologyTransport {

	/**
	 * Return the time now, on the transport's clock.
	 * @return the time
	 */
	Instant now();

	/**
	 * Run a task on the topology thread, after the tasks queued before it.
	 * @param task the task
	 */
	void execute(Runnable task);

	/**
	 * Run a task on the topology thread after a delay.
	 * @param delay the delay
	 * @param task the task
	 * @return a handle to cancel it
	 */
	Scheduled schedule(Duration delay, Runnable task);

	/**
	 * Wait for a future that the topology thread completes: blocking in production, by running the virtual clock in
	 * a replay.
	 * @param <T> the result type
	 * @param future the future
	 * @param limit how long to wait at most
	 * @return its result
	 * @throws ExecutionException when it failed
	 * @throws TimeoutException when it did not complete in time
	 * @throws InterruptedException when the waiting thread was interrupted
	 */
	<T> T await(CompletableFuture<T> future, Duration limit)
			throws ExecutionException, TimeoutException, InterruptedException;

	/**
	 * Return whether the caller runs on the topology thread.
	 * @return whether it does
	 */
	boolean inTopologyThread();

	/**
	 * Return whether the caller must never wait for the topology thread: a Netty event loop, whose I/O the topology
	 * may need to answer.
	 * @return whether it must not wait
	 */
	boolean mustNotWait();

	/**
	 * Follow a sentinel: subscribe to all its events, and keep a connection to ask it about the master.
	 * @param sentinel its reachable address
	 * @param learned whether it was learned from the others
	 * @param announcedId the id the others announced it with, if any
	 * @param events where its events go, on any thread
	 * @return the link
	 */
	SentinelFeed follow(NodeAddress sentinel, boolean learned, @Nullable String announcedId,
			Consumer<SentinelEvent> events);

	/**
	 * Ask a data node its role, on a new connection, within the sentinel timeout.
	 * @param node the node
	 * @return the answer
	 */
	CompletableFuture<SentinelCheck.RoleAnswer> role(NodeAddress node);

	/**
	 * Open a connection to poll a node's role often (the replica being promoted).
	 * @param node the node
	 * @return the probe
	 */
	RoleProbe probe(NodeAddress node);

	/**
	 * Find the master the way the sentinel client rules describe.
	 * @return the verified master, or a failure with a {@link MasterDiscoveryException}
	 */
	CompletableFuture<DiscoveredMaster> discover();

	/**
	 * Release what the transport holds; queued tasks are dropped.
	 */
	void close();

	/**
	 * One followed sentinel.
	 */
	interface SentinelFeed {

		/**
		 * Start connecting whatever is not connected; never blocks.
		 */
		void connect();

		/**
		 * Ask the sentinel about the master, once it is connected, within the sentinel timeout.
		 * @param masterName the master name
		 * @return what it said, or an unreachable view
		 */
		CompletableFuture<SentinelView> query(String masterName);

		/**
		 * Close its connections.
		 */
		void close();

	}

	/**
	 * A connection kept to poll one node's role.
	 */
	interface RoleProbe {

		/**
		 * Ask the role; a failed poll closes the connection and the next one opens a new one.
		 * @param timeout how long it may take
		 * @return the answer
		 */
		CompletableFuture<SentinelCheck.RoleAnswer> role(Duration timeout);

		/**
		 * Close the connection.
		 */
		void close();

	}

	/**
	 * A task scheduled for later.
	 */
	interface Scheduled {

		/**
		 * Cancel it if it has not run yet.
		 */
		void cancel();

	}

}
