package dev.haredis.autoconfigure.fence;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration;
import dev.haredis.connection.MasterRouting;
import dev.haredis.fence.ReplicationFence;
import dev.haredis.fence.ReplicationFenceProbe;
import dev.haredis.test.LocalPorts;

import static org.assertj.core.api.Assertions.assertThat;

class HaRedisFenceAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisFenceAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused());

	@Test
	void isOffByDefault() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(MasterRouting.class)
			.doesNotHaveBean(ReplicationFence.class)
			.doesNotHaveBean(ReplicationFenceProbe.class));
	}

	@Test
	void maxReplicaLagSwitchesItOn() {
		this.runner.withPropertyValues("ha.redis.fence.max-replica-lag=500ms")
			.run((context) -> assertThat(context).hasSingleBean(ReplicationFence.class)
				.hasSingleBean(ReplicationFenceProbe.class));
	}

	@Test
	void usesTheApplicationsFence() {
		ReplicationFence own = new ReplicationFence();
		this.runner.withPropertyValues("ha.redis.fence.max-replica-lag=500ms")
			.withBean("ownFence", ReplicationFence.class, () -> own)
			.run((context) -> assertThat(context).getBean(ReplicationFence.class).isSameAs(own));
	}

	@Test
	void probeIntervalOfHalfTheLagOrMoreIsRefusedNamingTheProperty() {
		this.runner.withPropertyValues("ha.redis.fence.max-replica-lag=200ms", "ha.redis.fence.probe-interval=100ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("object 'ha.redis.fence' on field 'probe-interval'")
				.hasMessageContaining("must be under half of ha.redis.fence.max-replica-lag (200ms)"));
	}

	@Test
	void zeroMinReplicasIsRefusedNamingTheProperty() {
		this.runner.withPropertyValues("ha.redis.fence.max-replica-lag=500ms", "ha.redis.fence.min-replicas=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("object 'ha.redis.fence' on field 'min-replicas'")
				.hasMessageContaining("must be 1 or more"));
	}

	@Test
	void zeroLagIsRefusedNamingTheProperty() {
		this.runner.withPropertyValues("ha.redis.fence.max-replica-lag=0ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("object 'ha.redis.fence' on field 'max-replica-lag'")
				.hasMessageContaining("must be longer than 0"));
	}

}
