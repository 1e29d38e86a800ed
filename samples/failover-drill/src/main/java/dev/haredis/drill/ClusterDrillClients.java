package dev.haredis.drill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.test.LocalClusterTopology;

/**
 * The clients the cluster drill compares, on the same cluster in one JVM, each in an application context of its
 * own: plain Spring Boot with its defaults ({@code spring-boot}), Spring Boot tuned as a careful user would
 * ({@code spring-boot-tuned}: a periodic topology refresh every second and a 5 s command timeout), and ha-redis with
 * its defaults ({@code ha-redis}).
 */
final class ClusterDrillClients implements AutoCloseable {

	private final List<ConfigurableApplicationContext> contexts;

	private final Map<String, StringRedisTemplate> templates = new LinkedHashMap<>();

	private ClusterDrillClients(List<ConfigurableApplicationContext> contexts, List<String> names) {
		this.contexts = contexts;
		for (int i = 0; i < names.size(); i++) {
			this.templates.put(names.get(i), contexts.get(i).getBean(StringRedisTemplate.class));
		}
	}

	static ClusterDrillClients start(LocalClusterTopology topology) {
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		try {
			start(contexts, "spring.data.redis.cluster.nodes=" + topology.seedNodes(), "ha.redis.enabled=false");
			start(contexts, "spring.data.redis.cluster.nodes=" + topology.seedNodes(), "ha.redis.enabled=false",
					"spring.data.redis.lettuce.cluster.refresh.period=1s", "spring.data.redis.timeout=5s");
			start(contexts, "ha.redis.cluster.nodes=" + topology.seedNodes());
			return new ClusterDrillClients(contexts, List.of("spring-boot", "spring-boot-tuned", "ha-redis"));
		}
		catch (RuntimeException ex) {
			contexts.forEach(ConfigurableApplicationContext::close);
			throw ex;
		}
	}

	private static void start(List<ConfigurableApplicationContext> contexts, String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("logging.level.root=WARN");
		all.add("spring.main.register-shutdown-hook=false");
		contexts.add(new SpringApplicationBuilder(DrillApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(all.toArray(String[]::new))
			.run());
	}

	/**
	 * The clients' templates by name, in the order above.
	 */
	Map<String, StringRedisTemplate> templates() {
		return this.templates;
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

}
