/**
 * The application's view of a Sentinel-managed topology: finding the master the way the Redis sentinel client
 * rules describe, and verifying it with {@code ROLE}.
 */
@NullMarked
package dev.haredis.topology;

import org.jspecify.annotations.NullMarked;
