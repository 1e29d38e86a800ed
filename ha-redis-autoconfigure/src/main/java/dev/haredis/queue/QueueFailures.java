package dev.haredis.queue;

import io.lettuce.core.RedisException;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.PoolException;

import dev.haredis.internal.RedisErrors;

/**
 * Tells the failures of Redis (out of reach, an error reply) apart from bugs, for the worker's read loop and the
 * housekeeping: the first are retried, the others go to the worker's supervisor.
 */
final class QueueFailures {

	private QueueFailures() {
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

	/**
	 * Whether a failure says the stream or its consumer group is missing: a new queue, or a promoted replica that
	 * had not received them.
	 * @param reason the failure, as {@link RedisErrors#describe(Throwable)} put it
	 * @return whether the reply was {@code NOGROUP}
	 */
	static boolean isMissingGroup(String reason) {
		return reason.contains("NOGROUP");
	}

}
