/**
 * Auto-configuration of the opt-in replication fence.
 */
@NullMarked
package dev.haredis.autoconfigure.fence;

import org.jspecify.annotations.NullMarked;
