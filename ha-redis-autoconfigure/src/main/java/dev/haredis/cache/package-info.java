/**
 * Spring Cache on Redis that keeps serving requests while the master is unreachable or failing over.
 */
@NullMarked
package dev.haredis.cache;

import org.jspecify.annotations.NullMarked;
