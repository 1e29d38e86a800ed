package dev.haredis.testcontainers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Enables {@link RequiresDocker} tests when a Docker engine answers, or when Docker is required.
 */
class DockerAvailableCondition implements ExecutionCondition {

	/** Environment variable that turns a missing Docker engine into failures instead of skipped tests. */
	static final String REQUIRE_DOCKER = "HA_REDIS_REQUIRE_DOCKER";

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (Boolean.parseBoolean(System.getenv(REQUIRE_DOCKER))) {
			return ConditionEvaluationResult.enabled(REQUIRE_DOCKER + "=true: Docker is required");
		}
		if (DockerClientFactory.instance().isDockerAvailable()) {
			return ConditionEvaluationResult.enabled("Docker is available");
		}
		return ConditionEvaluationResult.disabled("Skipped: no Docker engine answers (install one, e.g. "
				+ "'apt-get install docker.io' and start 'dockerd'; set " + REQUIRE_DOCKER
				+ "=true to fail instead of skipping)");
	}

}
