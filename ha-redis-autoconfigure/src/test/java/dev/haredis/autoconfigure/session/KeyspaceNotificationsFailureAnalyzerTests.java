package dev.haredis.autoconfigure.session;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.dao.InvalidDataAccessApiUsageException;

import static org.assertj.core.api.Assertions.assertThat;

class KeyspaceNotificationsFailureAnalyzerTests {

	private final KeyspaceNotificationsFailureAnalyzer analyzer = new KeyspaceNotificationsFailureAnalyzer();

	@Test
	void explainsWhatToSetOnTheServersWhenConfigIsRefused() {
		// Spring Session's own exception when CONFIG GET fails.
		IllegalStateException failure = new IllegalStateException(
				"Unable to configure Redis to keyspace notifications. See https://docs.spring.io/spring-session/",
				new InvalidDataAccessApiUsageException("ERR unknown command 'CONFIG'"));
		FailureAnalysis analysis = this.analyzer.analyze(new RuntimeException("Context failed", failure));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("refused CONFIG");
		assertThat(analysis.getAction()).contains("notify-keyspace-events Egx")
			.contains("every node")
			.contains("spring.session.data.redis.configure-action=none");
	}

	@Test
	void leavesOtherFailuresAlone() {
		assertThat(this.analyzer.analyze(new IllegalStateException("something else"))).isNull();
	}

}
