package dev.haredis.autoconfigure.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class DegradedStatusOrderEnvironmentPostProcessorTests {

	private final DegradedStatusOrderEnvironmentPostProcessor processor = new DegradedStatusOrderEnvironmentPostProcessor();

	@Test
	void ranksDegradedBetweenDownAndUp() {
		MockEnvironment environment = new MockEnvironment();
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(DegradedStatusOrderEnvironmentPostProcessor.PROPERTY))
			.isEqualTo("down,out-of-service,degraded,up,unknown");
	}

	@Test
	void keepsTheApplicationsOwnOrder() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty(DegradedStatusOrderEnvironmentPostProcessor.PROPERTY, "down,up");
		this.processor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(DegradedStatusOrderEnvironmentPostProcessor.PROPERTY)).isEqualTo("down,up");
	}

}
