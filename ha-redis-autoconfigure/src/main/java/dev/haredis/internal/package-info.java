/**
 * Pieces several packages share that applications do not touch: the trusted-class filters of the serializers
 * that read values back from Redis. Not an API: may change in any release.
 */
@NullMarked
package dev.haredis.internal;

import org.jspecify.annotations.NullMarked;
