package dev.haredis.autoconfigure.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.haredis.metrics.SentinelTopologyMetrics;
import dev.haredis.topology.MockTopologies;
import dev.haredis.topology.SentinelTopology;

import static org.assertj.core.api.Assertions.assertThat;

class HaRedisMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisMetricsAutoConfiguration.class))
		.withBean(SentinelTopology.class, MockTopologies::unknown);

	@Test
	void registersMeterBinder() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(SentinelTopologyMetrics.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("ha.redis.metrics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SentinelTopologyMetrics.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SentinelTopologyMetrics.class));
	}

}
