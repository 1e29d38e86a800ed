package dev.haredis.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample against a local sentinel topology that it starts itself:
 * {@code ./mvnw -pl samples/ha-redis-sample -am test-compile spring-boot:test-run}, or against a local Redis
 * Cluster with {@code -Dspring-boot.run.profiles=cluster}. Unlike the sample run against real servers, this local
 * run shows health details to everyone (the servers are on 127.0.0.1, the details are what one runs it for);
 * {@code --management.endpoint.health.show-details=when-authorized} restores the sample's setting.
 */
public class TestHaRedisSampleApplication {

	private static final String SHOW_DETAILS = "management.endpoint.health.show-details";

	public static void main(String[] args) {
		// A system property: below the command line, above application.yml.
		System.setProperty(SHOW_DETAILS, System.getProperty(SHOW_DETAILS, "always"));
		SpringApplication.from(HaRedisSampleApplication::main)
			.with(LocalSentinelTopologyConfiguration.class, LocalClusterTopologyConfiguration.class)
			.run(args);
	}

}
