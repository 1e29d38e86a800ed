package dev.haredis.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables {@link RequiresLoopbackPartitions} tests when partitions can be made here, or when they are required.
 */
class LoopbackPartitionsCondition implements ExecutionCondition {

	/** Environment variable that turns missing partition support into failures instead of skipped tests. */
	static final String REQUIRE_PARTITIONS = "HA_REDIS_REQUIRE_PARTITIONS";

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (Boolean.parseBoolean(System.getenv(REQUIRE_PARTITIONS))) {
			return ConditionEvaluationResult.enabled(REQUIRE_PARTITIONS + "=true: partitions are required");
		}
		String reason = LoopbackPartitions.unavailableReason();
		if (reason == null) {
			return ConditionEvaluationResult.enabled("Loopback partitions are available");
		}
		return ConditionEvaluationResult.disabled("Skipped: " + reason + " (set " + REQUIRE_PARTITIONS
				+ "=true to fail instead of skipping)");
	}

}
