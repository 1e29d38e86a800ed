/**
 * Auto-configuration for Spring Boot Actuator's endpoints, so that they never show a Redis credential.
 */
@NullMarked
package dev.haredis.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
