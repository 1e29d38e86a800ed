/**
 * Health indicators served from the topology snapshot.
 */
@NullMarked
package dev.haredis.health;

import org.jspecify.annotations.NullMarked;
