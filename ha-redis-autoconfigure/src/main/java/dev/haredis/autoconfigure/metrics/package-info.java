/**
 * Auto-configuration of the topology meters.
 */
@NullMarked
package dev.haredis.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
