package dev.haredis.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.health.DataRedisHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.durability.DurableWrites;
import dev.haredis.health.SentinelTopologyHealthIndicator;
import dev.haredis.test.LocalSentinelTopology;

/**
 * The clients the drill compares, on the same topology in one JVM: plain Spring Boot, ha-redis, and ha-redis with
 * the replication fence, each in an application context of its own, and the four ways they write
 * ({@code spring-boot}, {@code ha-redis}, {@code ha-redis+durable}, ha-redis behind the durable-write guard, and
 * {@code ha-redis+fence}, with {@code ha.redis.fence.max-replica-lag=500ms}).
 */
final class DrillClients implements AutoCloseable {

	private final List<ConfigurableApplicationContext> contexts;

	private final StringRedisTemplate boot;

	private final StringRedisTemplate haRedis;

	private final ConfigurableApplicationContext haRedisContext;

	private final Map<String, Consumer<String>> writes = new LinkedHashMap<>();

	private final Map<String, BooleanSupplier> healthUp = new LinkedHashMap<>();

	private DrillClients(List<ConfigurableApplicationContext> contexts, ConfigurableApplicationContext boot,
			ConfigurableApplicationContext haRedis, ConfigurableApplicationContext fenced) {
		this.contexts = contexts;
		this.boot = boot.getBean(StringRedisTemplate.class);
		this.haRedis = haRedis.getBean(StringRedisTemplate.class);
		this.haRedisContext = haRedis;
		DurableWrites durable = haRedis.getBean(DurableWrites.class);
		this.writes.put("spring-boot", (key) -> this.boot.opsForValue().set(key, "1"));
		this.writes.put("ha-redis", (key) -> this.haRedis.opsForValue().set(key, "1"));
		this.writes.put("ha-redis+durable", (key) -> durable.execute((operations) -> {
			operations.opsForValue().set(key, "1");
			return null;
		}));
		StringRedisTemplate fencedTemplate = fenced.getBean(StringRedisTemplate.class);
		this.writes.put("ha-redis+fence", (key) -> fencedTemplate.opsForValue().set(key, "1"));
		// Spring Boot's own Redis health indicator on its connection factory (a PING through it), ha-redis's the
		// topology's: what /actuator/health would show for each.
		DataRedisHealthIndicator bootHealth = new DataRedisHealthIndicator(boot.getBean(RedisConnectionFactory.class));
		SentinelTopologyHealthIndicator haRedisHealth = haRedis.getBean(SentinelTopologyHealthIndicator.class);
		SentinelTopologyHealthIndicator fencedHealth = fenced.getBean(SentinelTopologyHealthIndicator.class);
		this.healthUp.put("spring-boot", () -> Status.UP.equals(bootHealth.health(false).getStatus()));
		this.healthUp.put("ha-redis", () -> Status.UP.equals(haRedisHealth.health(false).getStatus()));
		this.healthUp.put("ha-redis+durable", this.healthUp.get("ha-redis"));
		this.healthUp.put("ha-redis+fence", () -> Status.UP.equals(fencedHealth.health(false).getStatus()));
	}

	/**
	 * Start both clients; if one fails to start, the one already running is closed.
	 * @param topology where they connect
	 * @return the running clients
	 */
	static DrillClients start(LocalSentinelTopology topology) {
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		try {
			ConfigurableApplicationContext boot = start(contexts,
					"spring.data.redis.sentinel.master=" + topology.masterName(),
					"spring.data.redis.sentinel.nodes=" + topology.sentinelNodes(), "ha.redis.enabled=false");
			ConfigurableApplicationContext haRedis = start(contexts,
					"ha.redis.sentinel.master=" + topology.masterName(),
					"ha.redis.sentinel.nodes=" + topology.sentinelNodes());
			ConfigurableApplicationContext fenced = start(contexts,
					"ha.redis.sentinel.master=" + topology.masterName(),
					"ha.redis.sentinel.nodes=" + topology.sentinelNodes(), "ha.redis.fence.max-replica-lag=500ms");
			return new DrillClients(contexts, boot, haRedis, fenced);
		}
		catch (RuntimeException ex) {
			contexts.forEach(ConfigurableApplicationContext::close);
			throw ex;
		}
	}

	private static ConfigurableApplicationContext start(List<ConfigurableApplicationContext> contexts,
			String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("logging.level.root=WARN");
		all.add("spring.main.register-shutdown-hook=false");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DrillApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(all.toArray(String[]::new))
			.run();
		contexts.add(context);
		return context;
	}

	/**
	 * The writes of the workload by client name, each setting the key it is given.
	 */
	Map<String, Consumer<String>> writes() {
		return this.writes;
	}

	/**
	 * Whether each client's health is {@code UP}, by client name.
	 */
	Map<String, BooleanSupplier> healthUp() {
		return this.healthUp;
	}

	/**
	 * The templates of plain Spring Boot ({@code spring-boot}) and ha-redis ({@code ha-redis}).
	 */
	Map<String, StringRedisTemplate> templates() {
		return Map.of("spring-boot", this.boot, "ha-redis", this.haRedis);
	}

	/**
	 * ha-redis's health indicator, looked up when asked for: only the measurements after the rounds need it.
	 */
	SentinelTopologyHealthIndicator healthIndicator() {
		return this.haRedisContext.getBean(SentinelTopologyHealthIndicator.class);
	}

	/**
	 * Wait up to 60 s until every client can write, so that a round does not start while one is still recovering
	 * from the previous one.
	 */
	void awaitWriting() {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		for (Map.Entry<String, Consumer<String>> client : this.writes.entrySet()) {
			while (true) {
				try {
					client.getValue().accept("drill:probe:" + client.getKey());
					break;
				}
				catch (RuntimeException ex) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(client.getKey() + " cannot write after the restore", ex);
					}
					DrillPause.pause(Duration.ofMillis(100));
				}
			}
		}
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

}
