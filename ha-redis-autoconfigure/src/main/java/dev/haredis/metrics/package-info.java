/**
 * Micrometer meters for the topology.
 */
@NullMarked
package dev.haredis.metrics;

import org.jspecify.annotations.NullMarked;
