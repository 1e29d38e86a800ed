/**
 * Redis pub/sub that keeps receiving across failovers, and says when messages may have been missed.
 */
@NullMarked
package dev.haredis.messaging;

import org.jspecify.annotations.NullMarked;
