package dev.haredis.queue;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StringRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.internal.BackgroundThreads;
import dev.haredis.internal.RedisErrors;

/**
 * The read loop of one worker of one queue, on its own thread: reads tasks with {@code XREADGROUP} on a connection
 * of its own (the read blocks) and has the {@link TaskRunner} run them, creating the consumer group when the
 * server has none. Between two reads it runs what it was given (the first worker of a queue: its
 * {@link QueueHousekeeping}). A Redis failure (an outage, a failover) is retried with back-off here; anything else
 * ends {@link #run()} with the failure, for the {@link WorkerSupervisor} to log and restart.
 */
final class QueueWorker implements Runnable {

	private static final Log logger = LogFactory.getLog(QueueWorker.class);

	private static final Duration FIRST_BACK_OFF = Duration.ofMillis(50);

	private static final Duration LONGEST_BACK_OFF = Duration.ofSeconds(1);

	private final String queue;

	private final String consumer;

	private final Runnable betweenReads;

	private final TaskRunner runner;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final TaskQueueSettings settings;

	private final BooleanSupplier running;

	private final String stream;

	private @Nullable String outage;

	QueueWorker(String queue, String consumer, Runnable betweenReads, TaskRunner runner,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, TaskQueueSettings settings,
			BooleanSupplier running) {
		this.queue = queue;
		this.consumer = consumer;
		this.betweenReads = betweenReads;
		this.runner = runner;
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.settings = settings;
		this.running = running;
		this.stream = QueueKeys.of(settings).stream(queue);
	}

	@Override
	public void run() {
		StringRedisConnection connection = null;
		Duration backOff = FIRST_BACK_OFF;
		try {
			while (this.running.getAsBoolean()) {
				try {
					if (connection == null) {
						connection = new DefaultStringRedisConnection(this.connectionFactory.getConnection());
					}
					this.betweenReads.run();
					List<StringRecord> records = connection.xReadGroupAsString(
							Consumer.from(this.settings.group(), this.consumer),
							StreamReadOptions.empty()
								.count(this.settings.batchSize())
								.block(this.settings.blockTimeout()),
							StreamOffset.create(this.stream, ReadOffset.lastConsumed()));
					recovered();
					backOff = FIRST_BACK_OFF;
					if (records != null && !records.isEmpty()) {
						this.runner.runBatch(records);
					}
				}
				catch (RuntimeException ex) {
					if (!this.running.getAsBoolean()) {
						break;
					}
					if (!QueueFailures.isRedisFailure(ex)) {
						throw ex;
					}
					String reason = RedisErrors.describe(ex);
					// The stream or the group is missing: a new queue, or a promoted replica that had not received
					// them. Create it from the first entry, so no task already in the stream is skipped.
					if (QueueFailures.isMissingGroup(reason) && createGroupQuietly()) {
						continue;
					}
					failed(reason);
					closeQuietly(connection);
					connection = null;
					if (!BackgroundThreads.pause(backOff)) {
						break;
					}
					backOff = (backOff.compareTo(LONGEST_BACK_OFF.dividedBy(2)) < 0) ? backOff.multipliedBy(2)
							: LONGEST_BACK_OFF;
				}
			}
		}
		finally {
			closeQuietly(connection);
		}
	}

	/**
	 * Create the group from the first entry, so no task already in the stream is skipped; a group another worker
	 * created meanwhile ({@code BUSYGROUP}) will do.
	 * @return whether the group is there now
	 */
	private boolean createGroupQuietly() {
		try {
			this.redis.opsForStream().createGroup(this.stream, ReadOffset.from("0"), this.settings.group());
			return true;
		}
		catch (RuntimeException ex) {
			if (RedisErrors.describe(ex).contains("BUSYGROUP")) {
				return true;
			}
			if (!QueueFailures.isRedisFailure(ex)) {
				throw ex;
			}
			return false;
		}
	}

	private void failed(String reason) {
		if (this.outage == null) {
			this.outage = reason;
			logger.warn("Worker " + this.consumer + " of queue '" + this.queue + "' cannot read tasks ("
					+ ErrorTexts.loggable(reason) + "); retrying with back-off");
		}
	}

	private void recovered() {
		if (this.outage != null) {
			this.outage = null;
			logger.info("Worker " + this.consumer + " of queue '" + this.queue + "' reads tasks again");
		}
	}

	private static void closeQuietly(@Nullable StringRedisConnection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Already broken.
			}
		}
	}

}
