/**
 * Routing Lettuce connections to the master that the topology has verified.
 */
@NullMarked
package dev.haredis.connection;

import org.jspecify.annotations.NullMarked;
