/**
 * What the messaging auto-configuration creates and applications do not touch: the probes that tell when pub/sub
 * messages may have been missed across a failover. Not an API: may change in any release.
 */
@NullMarked
package dev.haredis.messaging.internal;

import org.jspecify.annotations.NullMarked;
