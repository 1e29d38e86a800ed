package dev.haredis.testcontainers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that need a Docker engine. Without one they are skipped with a message saying what to install, unless
 * the environment variable {@value DockerAvailableCondition#REQUIRE_DOCKER} is {@code true} (as in CI): then they
 * run and fail, so that a machine without Docker cannot pass them silently.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DockerAvailableCondition.class)
public @interface RequiresDocker {

}
