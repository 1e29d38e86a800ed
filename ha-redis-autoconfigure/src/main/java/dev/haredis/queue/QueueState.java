package dev.haredis.queue;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How a queue stood when its housekeeping worker last looked.
 *
 * @param queue the queue
 * @param waiting tasks not delivered to any worker yet, when the server reports it (Redis 7 and later)
 * @param pending tasks delivered to a worker and not acknowledged yet
 * @param oldestPending how long the oldest pending task has been with its worker, or {@code null} when none is
 * @param delayed tasks waiting for their retry
 * @param deadLetters tasks in the queue's dead-letter queue
 * @param observedAt when these were read
 */
public record QueueState(String queue, @Nullable Long waiting, long pending, @Nullable Duration oldestPending,
		long delayed, long deadLetters, Instant observedAt) {

}
