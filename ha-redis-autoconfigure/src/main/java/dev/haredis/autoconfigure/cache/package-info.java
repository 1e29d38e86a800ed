/**
 * Auto-configuration of Spring Cache on the ha-redis cache connection factory.
 */
@NullMarked
package dev.haredis.autoconfigure.cache;

import org.jspecify.annotations.NullMarked;
