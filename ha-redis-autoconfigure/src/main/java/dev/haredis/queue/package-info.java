/**
 * A reliable task queue on Redis Streams and consumer groups: at-least-once delivery, acknowledgement after the
 * handler returns, redelivery after a visibility timeout, retries with back-off, a dead-letter queue and task
 * results, across failovers.
 */
@NullMarked
package dev.haredis.queue;

import org.jspecify.annotations.NullMarked;
