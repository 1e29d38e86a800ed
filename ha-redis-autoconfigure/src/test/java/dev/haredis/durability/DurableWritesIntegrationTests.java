package dev.haredis.durability;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.test.LocalSentinelTopologyExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The durable-write guard on a real master with one replica.
 */
class DurableWritesIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class));

	private ApplicationContextRunner app() {
		return this.runner.withPropertyValues("ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=" + redis.topology().sentinelNodes());
	}

	@Test
	void acknowledgedWriteIsAlreadyOnTheReplica() {
		app().run((context) -> {
			DurableWrites durable = context.getBean(DurableWrites.class);
			String result = durable.execute((operations) -> {
				operations.opsForValue().set("durable:order", "paid");
				return operations.opsForValue().get("durable:order");
			});
			assertThat(result).isEqualTo("paid");
			assertThat(redis.topology().replicas().get(0).command("GET", "durable:order")).isEqualTo("paid");
		});
	}

	@Test
	void rawConnectionWritesAreGuardedToo() {
		app().run((context) -> {
			Boolean set = context.getBean(DurableWrites.class)
				.executeOnConnection((connection) -> connection.stringCommands().set("durable:raw".getBytes(),
						"v".getBytes()));
			assertThat(set).isTrue();
			assertThat(redis.topology().replicas().get(0).command("GET", "durable:raw")).isEqualTo("v");
		});
	}

	@Test
	void tooFewReplicasIsReportedNotSilentlyAcknowledged() {
		app().withPropertyValues("ha.redis.durability.min-replicas=2", "ha.redis.durability.timeout=200ms")
			.run((context) -> assertThatExceptionOfType(WriteNotReplicatedException.class)
				.isThrownBy(() -> context.getBean(DurableWrites.class).execute((operations) -> {
					operations.opsForValue().set("durable:at-risk", "1");
					return null;
				}))
				.satisfies((ex) -> {
					assertThat(ex.getRequired()).isEqualTo(2);
					assertThat(ex.getAcknowledged()).isEqualTo(1);
					assertThat(ex.getMessage()).contains("ha.redis.durability.min-replicas").contains("200ms");
				}));
	}

	@Test
	void waitingForReplicasDoesNotBlockTheSharedConnection() {
		app().withPropertyValues("ha.redis.durability.min-replicas=2", "ha.redis.durability.timeout=3s")
			.run((context) -> {
				DurableWrites durable = context.getBean(DurableWrites.class);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				template.opsForValue().set("warm-up", "1");
				CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> durable.execute((operations) -> {
					operations.opsForValue().set("durable:slow", "1");
					return null;
				}));
				long started = System.nanoTime();
				template.opsForValue().set("not-blocked", "1");
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
				assertThat(waiting).failsWithin(Duration.ofSeconds(10));
			});
	}

}
