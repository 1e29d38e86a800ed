package dev.haredis.testcontainers;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.haredis.test.RespConnection;
import dev.haredis.test.SentinelReplies;
import dev.haredis.topology.NodeAddress;

/**
 * The faults a {@link RedisSentinelContainer} injects, and what they wait for: each acts on the master every
 * sentinel agrees on, and {@link #awaitRestored()} waits until a topology is whole again after them.
 */
final class SentinelContainerFaults {

	/** How long a fault trigger waits for the sentinels to agree on the master it acts on. */
	private static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration FAILOVER_REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private final SentinelContainerLayout layout;

	private final SentinelContainerMembers members;

	private final SentinelContainerConnections connections;

	SentinelContainerFaults(SentinelContainerLayout layout, SentinelContainerMembers members,
			SentinelContainerConnections connections) {
		this.layout = layout;
		this.members = members;
		this.connections = connections;
	}

	NodeAddress killMaster() {
		NodeAddress master = awaitAgreedMaster(null, AGREEMENT_TIMEOUT);
		this.members.kill(master);
		return master;
	}

	NodeAddress freezeMaster() {
		NodeAddress master = awaitAgreedMaster(null, AGREEMENT_TIMEOUT);
		this.members.pause(master);
		return master;
	}

	NodeAddress failover() {
		NodeAddress master = awaitAgreedMaster(null, AGREEMENT_TIMEOUT);
		long deadline = System.nanoTime() + FAILOVER_REQUEST_TIMEOUT.toNanos();
		while (true) {
			try {
				this.connections.command(this.members.runningSentinelPort(), "SENTINEL", "FAILOVER",
						this.layout.masterName);
				return master;
			}
			catch (RespConnection.RespErrorException ex) {
				String error = String.valueOf(ex.getMessage());
				if (error.contains("INPROG")) {
					// An earlier request (whose reply was lost) started it.
					return master;
				}
				// NOGOODSLAVE while a sentinel's last look at the replicas (refreshed every 10 s) is stale: ask again.
				if (!error.contains("NOGOODSLAVE") || System.nanoTime() > deadline) {
					throw ex;
				}
				pause(Duration.ofMillis(200));
			}
		}
	}

	/**
	 * Return the master as the first sentinel that answers announces it.
	 */
	NodeAddress announcedMaster() {
		for (int port : this.layout.sentinelPorts()) {
			NodeAddress master = askSentinelForMaster(port);
			if (master != null) {
				return master;
			}
		}
		throw new IllegalStateException("No sentinel names a master '" + this.layout.masterName + "'");
	}

	private @Nullable NodeAddress askSentinelForMaster(int sentinelPort) {
		try {
			List<?> address = (List<?>) this.connections.command(sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME",
					this.layout.masterName);
			return (address != null)
					? new NodeAddress(String.valueOf(address.get(0)), Integer.parseInt(String.valueOf(address.get(1))))
					: null;
		}
		catch (RuntimeException ex) {
			// A stopped sentinel.
			return null;
		}
	}

	/**
	 * Wait until every sentinel that answers names the same master (other than {@code previous}, if given) and
	 * that server answers {@code ROLE} as master: a fault trigger acts on the master all agree on, not on what a
	 * sentinel just restarted, still catching up, names.
	 */
	NodeAddress awaitAgreedMaster(@Nullable NodeAddress previous, Duration timeout) {
		NodeAddress[] found = new NodeAddress[1];
		String description = (previous != null) ? "the sentinels to agree on a new master other than " + previous
				: "the sentinels to agree on the master";
		awaitCondition(description, timeout, () -> {
			Set<NodeAddress> named = new HashSet<>();
			for (int port : this.layout.sentinelPorts()) {
				NodeAddress master = askSentinelForMaster(port);
				if (master != null) {
					named.add(master);
				}
			}
			if (named.size() != 1 || named.contains(previous)) {
				return false;
			}
			NodeAddress master = named.iterator().next();
			found[0] = master;
			return "master".equals(role(master.port()));
		});
		return found[0];
	}

	/**
	 * Wait until every sentinel knows every replica (with its link up) and the other sentinels: until then a
	 * failover could find no candidate or no majority.
	 */
	void awaitReady() {
		awaitCondition("the sentinels to know " + this.layout.replicas + " replica(s) and "
				+ (this.layout.sentinels - 1) + " other sentinel(s)", this.layout.readyTimeout, this::sentinelsReady);
	}

	/**
	 * Wait until the sentinels agree on a master that is not down, every other data node replicates it with its
	 * link up, and every sentinel knows every replica and the other sentinels.
	 */
	void awaitRestored() {
		NodeAddress master = awaitAgreedMaster(null, this.layout.readyTimeout);
		awaitCondition("every data node to replicate " + master + " and the sentinels to know them",
				this.layout.readyTimeout, () -> {
					for (int port : this.layout.dataPorts()) {
						String replication = String.valueOf(this.connections.command(port, "INFO", "replication"));
						if (port != master.port() && !replication.contains("master_link_status:up")) {
							return false;
						}
					}
					for (int port : this.layout.sentinelPorts()) {
						Map<String, String> state = SentinelReplies.fields(
								this.connections.command(port, "SENTINEL", "MASTER", this.layout.masterName));
						if (!Objects.equals(state.get("port"), Integer.toString(master.port()))
								|| state.getOrDefault("flags", "").contains("down")) {
							return false;
						}
					}
					// A replica reports its link up before its master streams to it (Redis 7.0, after a full resync).
					return sentinelsReady() && this.connections.inSession(master.port(),
							(connection) -> connection.acknowledgedBy(this.layout.replicas, Duration.ofSeconds(1)));
				});
	}

	private boolean sentinelsReady() {
		for (int port : this.layout.sentinelPorts()) {
			List<?> sentinelList = (List<?>) this.connections.command(port, "SENTINEL", "SENTINELS",
					this.layout.masterName);
			long linked = SentinelReplies
				.onlineReplicas(this.connections.command(port, "SENTINEL", "REPLICAS", this.layout.masterName));
			if (linked < this.layout.replicas || Objects.requireNonNull(sentinelList).size() < this.layout.sentinels - 1) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Wait until a sentinel started again answers.
	 */
	void awaitSentinelAnswers(int port) {
		awaitCondition("sentinel " + this.layout.announced(port) + " to answer again", this.layout.readyTimeout,
				() -> "PONG".equals(this.connections.command(port, "PING")));
	}

	private String role(int port) {
		List<?> role = (List<?>) Objects.requireNonNull(this.connections.command(port, "ROLE"));
		return String.valueOf(role.get(0));
	}

	private static void awaitCondition(String what, Duration timeout, Supplier<Boolean> condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		RuntimeException last = null;
		while (System.nanoTime() < deadline) {
			try {
				if (condition.get()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				last = ex;
			}
			pause(Duration.ofMillis(100));
		}
		throw new IllegalStateException("Timed out after " + timeout.toSeconds() + "s waiting for " + what
				+ Optional.ofNullable(last).map((ex) -> " (last error: " + ex.getMessage() + ")").orElse(""), last);
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
