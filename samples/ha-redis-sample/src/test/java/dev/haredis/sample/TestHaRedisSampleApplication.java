package dev.haredis.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample against a local sentinel topology that it starts itself:
 * {@code ./mvnw -pl samples/ha-redis-sample -am test-compile spring-boot:test-run}.
 */
public class TestHaRedisSampleApplication {

	public static void main(String[] args) {
		SpringApplication.from(HaRedisSampleApplication::main).with(LocalSentinelTopologyConfiguration.class).run(args);
	}

}
