package dev.haredis.starter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.ClassUtils;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.topology.SentinelTopology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter as an application gets it, with the class path its dependencies make: no actuator and no Micrometer
 * meters. A whole Spring Boot application starts on a real master, replica and three sentinels, writes through
 * the master, and hears of a failover through {@link MasterSwitchedEvent}.
 */
class HaRedisStarterIntegrationTests {

	private static final Duration FAILOVER = Duration.ofSeconds(30);

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();

	@AfterEach
	void restore() {
		redis.topology().restore();
	}

	@Test
	void bringsNeitherActuatorNorMicrometerMeters() {
		assertThat(List.of("org.springframework.boot.actuate.endpoint.annotation.Endpoint",
				"org.springframework.boot.health.contributor.HealthIndicator",
				"io.micrometer.core.instrument.MeterRegistry",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"))
			.allSatisfy((className) -> assertThat(ClassUtils.isPresent(className, null)).as(className).isFalse());
	}

	@Test
	void applicationWithoutActuatorWritesAndIsToldOfAFailover() {
		LocalSentinelTopology topology = redis.topology();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("ha.redis.sentinel.master=" + topology.masterName(),
					"ha.redis.sentinel.nodes=" + topology.sentinelNodes(), "ha.redis.timeout=30s")
			.run()) {
			assertThat(context.getBeansOfType(SentinelTopology.class)).hasSize(1);
			assertThat(context.containsBean("redisSentinelHealthIndicator")).isFalse();
			assertThat(context.containsBean("sentinelTopologyMetrics")).isFalse();
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("starter:before", "1");
			assertThat(topology.master().command("GET", "starter:before")).isEqualTo("1");

			RedisProcess oldMaster = topology.failover();
			RedisProcess newMaster = topology.awaitNewMaster(oldMaster, FAILOVER);

			MasterSwitches switches = context.getBean(MasterSwitches.class);
			await().atMost(FAILOVER).untilAsserted(() -> assertThat(switches.events).anySatisfy((event) -> {
				assertThat(event.masterName()).isEqualTo(topology.masterName());
				assertThat(event.from().port()).isEqualTo(oldMaster.port());
				assertThat(event.to().port()).isEqualTo(newMaster.port());
			}));
			template.opsForValue().set("starter:after", "2");
			assertThat(newMaster.command("GET", "starter:after")).isEqualTo("2");
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		MasterSwitches masterSwitches() {
			return new MasterSwitches();
		}

	}

	static class MasterSwitches {

		final List<MasterSwitchedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(MasterSwitchedEvent event) {
			this.events.add(event);
		}

	}

}
