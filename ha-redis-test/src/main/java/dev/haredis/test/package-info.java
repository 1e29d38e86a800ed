/**
 * A real local Redis topology (master, replicas, sentinels on 127.0.0.1) for tests and development.
 */
@NullMarked
package dev.haredis.test;

import org.jspecify.annotations.NullMarked;
