/**
 * Auto-configuration of the task queue on Redis Streams.
 */
@NullMarked
package dev.haredis.autoconfigure.queue;

import org.jspecify.annotations.NullMarked;
