/**
 * Writes acknowledged only once enough replicas have them (WAIT), so a failover cannot silently lose them.
 */
@NullMarked
package dev.haredis.durability;

import org.jspecify.annotations.NullMarked;
