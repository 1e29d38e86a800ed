/**
 * Auto-configuration of the topology health indicator.
 */
@NullMarked
package dev.haredis.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
