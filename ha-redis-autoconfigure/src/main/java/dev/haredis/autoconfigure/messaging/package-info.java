/**
 * Auto-configuration of Redis pub/sub on the ha-redis messaging connection factory.
 */
@NullMarked
package dev.haredis.autoconfigure.messaging;

import org.jspecify.annotations.NullMarked;
