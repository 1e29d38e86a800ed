package dev.haredis.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that partition a {@link LocalSentinelTopologyBuilder#partitionable() partitionable} topology. Where
 * {@link LoopbackPartitions} cannot work (not root, no iptables) they are skipped with the reason, unless the
 * environment variable {@value LoopbackPartitionsCondition#REQUIRE_PARTITIONS} is {@code true} (as in CI): then they
 * run and fail, so that a machine without them cannot pass silently.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(LoopbackPartitionsCondition.class)
public @interface RequiresLoopbackPartitions {

}
