package dev.haredis.autoconfigure.connection;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link HaRedisConfigurationException} as the property at fault and how to fix it.
 */
class HaRedisConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<HaRedisConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, HaRedisConfigurationException cause) {
		return new FailureAnalysis("Invalid ha-redis configuration in '" + cause.getProperty() + "': "
				+ cause.getProblem() + ".", cause.getAction() + ".", cause);
	}

}
