package dev.haredis.autoconfigure.session;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains Spring Session's startup failure when the master refuses {@code CONFIG} (disabled or renamed, as
 * managed Redis services do), which its indexed repository uses to turn on keyspace notifications.
 */
class KeyspaceNotificationsFailureAnalyzer extends AbstractFailureAnalyzer<IllegalStateException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IllegalStateException cause) {
		if (cause.getMessage() == null || !cause.getMessage().contains("keyspace notifications")) {
			return null;
		}
		return new FailureAnalysis(
				"Spring Session's indexed repository could not turn on keyspace notifications on the Redis master: "
						+ "the server refused CONFIG (it may be disabled or renamed).",
				"Set 'notify-keyspace-events Egx' in the redis.conf of every node, master and replicas alike (the "
						+ "setting is not replicated, and a replica may become the master), then set "
						+ "spring.session.data.redis.configure-action=none. Or use the default (non-indexed) "
						+ "repository, spring.session.data.redis.repository-type=default, which needs no "
						+ "notifications.",
				cause);
	}

}
