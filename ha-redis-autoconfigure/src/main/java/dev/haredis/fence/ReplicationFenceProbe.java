package dev.haredis.fence;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.async.RedisAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.haredis.internal.BackgroundThreads;
import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;

/**
 * Probes the master for the {@link ReplicationFence}: every probe interval, on a connection of its own, a
 * {@code PUBLISH} (a write the master replicates, which touches no key) then {@code WAIT} for the replicas, at most
 * {@code max-replica-lag}. {@code WAIT} makes the master ask its replicas for their offsets at once, so an answer
 * comes within a round trip, not at the replicas' once-a-second acknowledgement. The decisions are
 * {@link FenceCore}'s, fed by this class's one thread.
 */
public class ReplicationFenceProbe implements SmartLifecycle, TopologyListener, Ordered {

	/** Right after the topology and the purposes' check. */
	public static final int PHASE = SentinelTopology.PHASE + 2;

	private static final Log logger = LogFactory.getLog(ReplicationFenceProbe.class);

	private static final byte[] CHANNEL = "__ha-redis:fence".getBytes(StandardCharsets.US_ASCII);

	private final ReplicationFence fence;

	private final LettuceConnectionFactory connectionFactory;

	private final Settings settings;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private @Nullable ScheduledExecutorService thread;

	private @Nullable FenceCore core;

	private @Nullable RedisConnection connection;

	private long probes;

	/**
	 * Create a new instance.
	 * @param fence the fence it opens and closes
	 * @param connectionFactory a factory of dedicated connections to the master, owned by this object
	 * @param settings the fence's settings
	 * @param clock the clock
	 * @param events where the fence's events go
	 */
	public ReplicationFenceProbe(ReplicationFence fence, LettuceConnectionFactory connectionFactory, Settings settings,
			Clock clock, ApplicationEventPublisher events) {
		this.fence = fence;
		this.connectionFactory = connectionFactory;
		this.settings = settings;
		this.clock = clock;
		this.events = events;
	}

	@Override
	public void start() {
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.core = new FenceCore(this.settings.maxReplicaLag(), this.settings.probeInterval(),
				this.settings.minReplicas(), this.clock.instant());
		ScheduledExecutorService executor = Executors
			.newSingleThreadScheduledExecutor(BackgroundThreads.named("ha-redis-fence"));
		this.thread = executor;
		long tick = Math.max(10, this.settings.probeInterval().toMillis() / 2);
		executor.scheduleWithFixedDelay(this::tick, 0, tick, TimeUnit.MILLISECONDS);
		logger.info("Replication fence on: writes stop when no write of the last "
				+ this.settings.maxReplicaLag().toMillis() + " ms is known to be on " + this.settings.minReplicas()
				+ " replica(s)");
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.thread;
		this.thread = null;
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(2, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		RedisConnection held = this.connection;
		this.connection = null;
		if (held != null) {
			held.close();
		}
		this.connectionFactory.destroy();
		this.fence.open();
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public int getOrder() {
		// After the connections are closed and before the purposes and the application hear of a switch.
		return CONNECTIONS + 1;
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		ScheduledExecutorService executor = this.thread;
		if (event instanceof MasterSwitchedEvent && executor != null) {
			executor.execute(() -> apply(core().masterSwitched(this.clock.instant())));
		}
	}

	private void tick() {
		FenceCore decisions = core();
		apply(decisions.tick(this.clock.instant()));
		if (decisions.probeDue(this.clock.instant())) {
			probe(decisions.probeSent(this.clock.instant()));
		}
	}

	@SuppressWarnings("unchecked")
	private void probe(long generation) {
		RedisAsyncCommands<byte[], byte[]> commands;
		try {
			commands = (RedisAsyncCommands<byte[], byte[]>) heldConnection().getNativeConnection();
		}
		catch (RuntimeException ex) {
			dropConnection();
			apply(core().probeFailed(generation, "master not reachable: " + ex.getMessage(), this.clock.instant()));
			return;
		}
		this.probes++;
		commands.publish(CHANNEL, Long.toString(this.probes).getBytes(StandardCharsets.US_ASCII));
		commands.waitForReplication(this.settings.minReplicas(), this.settings.maxReplicaLag().toMillis())
			.whenComplete((replicas, failure) -> onThread(() -> {
				if (failure != null) {
					dropConnection();
					apply(core().probeFailed(generation, String.valueOf(failure.getMessage()), this.clock.instant()));
				}
				else {
					apply(core().probeAnswered(generation, replicas, this.clock.instant()));
				}
			}));
	}

	private void onThread(Runnable task) {
		ScheduledExecutorService executor = this.thread;
		if (executor != null && !executor.isShutdown()) {
			executor.execute(task);
		}
	}

	private RedisConnection heldConnection() {
		RedisConnection held = this.connection;
		if (held == null || held.isClosed()) {
			held = this.connectionFactory.getConnection();
			this.connection = held;
		}
		return held;
	}

	private void dropConnection() {
		RedisConnection held = this.connection;
		this.connection = null;
		if (held != null) {
			try {
				held.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing the fence's connection failed", ex);
			}
		}
	}

	private void apply(FenceCore.@Nullable FenceChange change) {
		if (change == null) {
			return;
		}
		if (change.closed()) {
			String reason = String.valueOf(change.reason());
			this.fence.close(reason, this.clock.instant());
			logger.warn("Writes fenced: " + reason);
			this.events.publishEvent(new WritesFencedEvent(reason, change.unacknowledged(), this.clock.instant()));
		}
		else {
			this.fence.open();
			logger.info("Writes resume: a write of the last " + change.unacknowledged().toMillis()
					+ " ms is on a replica");
			this.events.publishEvent(new WritesResumedEvent(this.clock.instant()));
		}
	}

	private FenceCore core() {
		FenceCore current = this.core;
		if (current == null) {
			throw new IllegalStateException("The replication fence probe is not started");
		}
		return current;
	}

	/**
	 * The fence's settings.
	 *
	 * @param maxReplicaLag how long the master may go without a write known to be on enough replicas
	 * @param minReplicas how many replicas must acknowledge
	 * @param probeInterval how often to probe
	 */
	public record Settings(Duration maxReplicaLag, int minReplicas, Duration probeInterval) {
	}

}
