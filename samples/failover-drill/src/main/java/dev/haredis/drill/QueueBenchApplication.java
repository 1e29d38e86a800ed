package dev.haredis.drill;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.haredis.test.LocalSentinelTopology;

/**
 * The application the queue benchmark starts for each measurement: the drill's application and the listeners that
 * count what is processed. The benchmark starts one for every measurement, on a Redis emptied with {@code FLUSHALL}.
 */
@Configuration(proxyBeanMethods = false)
@Import(DrillApplication.class)
class QueueBenchApplication {

	@Bean
	BenchmarkTaskListeners benchmarkTaskListeners(ProcessedTasks processed) {
		return new BenchmarkTaskListeners(processed);
	}

	/**
	 * Start the application for one variant.
	 * @param topology where it connects
	 * @param variant what it runs
	 * @param processed where its listeners count, shared with the benchmark that reads it
	 * @return the running context, for the caller to close
	 */
	static ConfigurableApplicationContext start(LocalSentinelTopology topology, QueueVariant variant,
			ProcessedTasks processed) {
		List<String> properties = new ArrayList<>(List.of("ha.redis.sentinel.master=" + topology.masterName(),
				"ha.redis.sentinel.nodes=" + topology.sentinelNodes(), "logging.level.root=WARN",
				"spring.main.register-shutdown-hook=false", "ha.redis.queue.concurrency=" + QueueThroughput.WORKERS,
				"ha.redis.queue.batch-size=" + QueueThroughput.BATCH, "ha.redis.queue.block-timeout=100ms",
				"ha.redis.timeout=5s"));
		properties.addAll(variant.properties);
		return new SpringApplicationBuilder(QueueBenchApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(properties.toArray(String[]::new))
			.initializers((ConfigurableApplicationContext context) -> context.getBeanFactory()
				.registerSingleton("processedTasks", processed))
			.run();
	}

}
