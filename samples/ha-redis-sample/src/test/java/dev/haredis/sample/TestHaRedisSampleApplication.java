package dev.haredis.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample against a local sentinel topology that it starts itself:
 * {@code ./mvnw -pl samples/ha-redis-sample -am test-compile spring-boot:test-run}, or against a local Redis
 * Cluster with {@code -Dspring-boot.run.profiles=cluster}. Health details are shown only to
 * authorized users; to see them locally, add
 * {@code -Dspring-boot.run.arguments=--management.endpoint.health.show-details=always}.
 */
public class TestHaRedisSampleApplication {

	public static void main(String[] args) {
		SpringApplication.from(HaRedisSampleApplication::main).with(LocalSentinelTopologyConfiguration.class, LocalClusterTopologyConfiguration.class).run(args);
	}

}
