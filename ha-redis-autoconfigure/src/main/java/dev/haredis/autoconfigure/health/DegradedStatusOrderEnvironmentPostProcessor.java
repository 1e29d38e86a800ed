package dev.haredis.autoconfigure.health;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Ranks the {@code DEGRADED} health status between {@code DOWN} and {@code UP}. Spring Boot ranks a status it does
 * not know above all others, so without this a degraded Redis would hide another component's {@code DOWN}. Added
 * with the lowest precedence: an application's own {@code management.endpoint.health.status.order} wins.
 */
class DegradedStatusOrderEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY = "management.endpoint.health.status.order";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.containsProperty(PROPERTY)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("haRedisHealthStatusOrder",
						Map.of(PROPERTY, "down,out-of-service,degraded,up,unknown")));
		}
	}

}
