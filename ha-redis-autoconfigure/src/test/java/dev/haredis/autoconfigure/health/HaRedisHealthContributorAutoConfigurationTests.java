package dev.haredis.autoconfigure.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.topology.MockTopologies;
import dev.haredis.topology.SentinelTopology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class HaRedisHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisHealthContributorAutoConfiguration.class));

	@Test
	void registersIndicatorWhenTopologyExists() {
		this.runner.withBean(SentinelTopology.class, MockTopologies::unknown)
			.run((context) -> {
				assertThat(context).hasSingleBean(SentinelTopologyHealthIndicator.class)
					.hasBean("redisSentinelHealthIndicator");
				assertThat(context.getBean(SentinelTopologyHealthIndicator.class).health().getDetails())
					.containsEntry("masterName", "mymaster");
			});
	}

	@Test
	void backsOffWithoutTopology() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SentinelTopologyHealthIndicator.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withBean(SentinelTopology.class, MockTopologies::unknown)
			.withPropertyValues("management.health.redisSentinel.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SentinelTopologyHealthIndicator.class));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.runner.withBean(SentinelTopology.class, MockTopologies::unknown)
			.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SentinelTopologyHealthIndicator.class));
	}

	@Test
	void userIndicatorWins() {
		this.runner.withBean(SentinelTopology.class, MockTopologies::unknown)
			.withBean("redisSentinelHealthIndicator", HealthIndicator.class, () -> mock(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SentinelTopologyHealthIndicator.class)
				.hasBean("redisSentinelHealthIndicator"));
	}


}
