package dev.haredis.queue;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.lettuce.core.RedisException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.DefaultStringRedisConnection;
import org.springframework.data.redis.connection.PoolException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.StringRedisConnection;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StringRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.support.BackgroundThreads;
import dev.haredis.topology.RedisErrors;

/**
 * The read loop of one worker of one queue, on its own thread: reads tasks with {@code XREADGROUP} on a connection
 * of its own (the read blocks) and has the {@link TaskRunner} run them. The first worker of a queue also does its
 * {@link QueueHousekeeping} between two reads. A Redis failure (an outage, a failover) is retried with back-off
 * here; anything else ends {@link #run()} with the failure, for the {@link WorkerSupervisor} to log and restart.
 */
final class QueueWorker implements Runnable {

	private static final Log logger = LogFactory.getLog(QueueWorker.class);

	private static final Duration FIRST_BACK_OFF = Duration.ofMillis(50);

	private static final Duration LONGEST_BACK_OFF = Duration.ofSeconds(1);

	private final String queue;

	private final String consumer;

	private final @Nullable QueueHousekeeping housekeeping;

	private final TaskRunner runner;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final TaskQueueSettings settings;

	private final BooleanSupplier running;

	private final String stream;

	private @Nullable String outage;

	QueueWorker(String queue, String consumer, @Nullable QueueHousekeeping housekeeping, TaskRunner runner,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, TaskQueueSettings settings,
			BooleanSupplier running) {
		this.queue = queue;
		this.consumer = consumer;
		this.housekeeping = housekeeping;
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
					if (this.housekeeping != null) {
						this.housekeeping.runIfDue();
					}
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
					if (!isRedisFailure(ex)) {
						throw ex;
					}
					String reason = RedisErrors.describe(ex);
					// The stream or the group is missing: a new queue, or a promoted replica that had not received
					// them. Create it from the first entry, so no task already in the stream is skipped.
					if (reason.contains("NOGROUP") && createGroupQuietly()) {
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
	 * Whether a failure is Redis's (out of reach, an error reply): retried with back-off, as opposed to a bug.
	 * @param ex the failure
	 * @return whether it came from Redis or the connection to it
	 */
	static boolean isRedisFailure(RuntimeException ex) {
		return ex instanceof DataAccessException || ex instanceof PoolException
				|| RedisErrors.hasCause(ex, RedisException.class);
	}

	private boolean createGroupQuietly() {
		try {
			createGroup(this.redis, this.stream, this.settings.group());
			return true;
		}
		catch (RuntimeException ex) {
			if (!isRedisFailure(ex)) {
				throw ex;
			}
			return false;
		}
	}

	static void createGroup(StringRedisTemplate redis, String stream, String group) {
		try {
			redis.opsForStream().createGroup(stream, ReadOffset.from("0"), group);
		}
		catch (RuntimeException ex) {
			if (!RedisErrors.describe(ex).contains("BUSYGROUP")) {
				throw ex;
			}
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
