/**
 * Auto-configuration of Spring Session Data Redis on the ha-redis session connection factory.
 */
@NullMarked
package dev.haredis.autoconfigure.session;

import org.jspecify.annotations.NullMarked;
