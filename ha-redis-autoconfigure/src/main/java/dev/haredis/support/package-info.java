/**
 * The background threads of ha-redis. Shared by the other packages, not an API: to move to
 * {@code dev.haredis.internal} once the topology no longer needs it here.
 */
@NullMarked
package dev.haredis.support;

import org.jspecify.annotations.NullMarked;
