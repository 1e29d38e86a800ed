package dev.haredis.autoconfigure.connection;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.haredis.autoconfigure.messaging.HaRedisMessagingAutoConfiguration;
import dev.haredis.autoconfigure.metrics.HaRedisMetricsAutoConfiguration;
import dev.haredis.autoconfigure.session.HaRedisSessionAutoConfiguration;
import dev.haredis.connection.MasterRouting;
import dev.haredis.messaging.internal.SubscriptionRecoveryProbes;
import dev.haredis.metrics.SentinelTopologyMetrics;
import dev.haredis.test.LocalPorts;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology takes its listeners from the context, in order: the connection layer first (old-master connections
 * are closed before anyone else hears of a switch), then the purposes, then the application events, then the
 * application's own listeners.
 */
class TopologyListenerOrderTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisSessionAutoConfiguration.class, HaRedisMessagingAutoConfiguration.class,
				HaRedisMetricsAutoConfiguration.class, DataRedisAutoConfiguration.class, SessionAutoConfiguration.class,
				SessionDataRedisAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.topology.monitor=false",
				"ha.redis.sentinel.master=mymaster", "ha.redis.sentinel.nodes=127.0.0.1:" + LocalPorts.unused(),
				"spring.session.data.redis.repository-type=default");

	@Test
	void connectionLayerFirstThenPurposesThenApplicationEventsThenTheApplicationsListeners() {
		TopologyListener own = (event) -> {
		};
		this.runner.withBean("applicationListener", TopologyListener.class, () -> own).run((context) -> {
			assertThat(context).hasNotFailed();
			List<TopologyListener> listeners = context.getBean(SentinelTopology.class).getListeners();
			assertThat(listeners).hasSize(6);
			assertThat(listeners.get(0)).isInstanceOf(MasterRouting.class);
			assertThat(listeners.subList(1, 4)).containsExactlyInAnyOrder(
					context.getBean("haRedisKeyspaceNotificationsReconfigurer", TopologyListener.class),
					context.getBean(SubscriptionRecoveryProbes.class), context.getBean(SentinelTopologyMetrics.class));
			assertThat(listeners.get(4)).isInstanceOf(TopologyEventPublisher.class);
			assertThat(listeners.get(5)).isSameAs(own);
		});
	}

	@Test
	void anOrderedApplicationListenerCanGoBeforeThePurposes() {
		TopologyListener early = new EarlyListener();
		this.runner.withBean("earlyListener", TopologyListener.class, () -> early).run((context) -> {
			List<TopologyListener> listeners = context.getBean(SentinelTopology.class).getListeners();
			assertThat(listeners.get(0)).isInstanceOf(MasterRouting.class);
			assertThat(listeners.get(1)).isSameAs(early);
		});
	}

	static class EarlyListener implements TopologyListener, org.springframework.core.Ordered {

		@Override
		public void onTopologyEvent(dev.haredis.topology.TopologyEvent event) {
		}

		@Override
		public int getOrder() {
			return TopologyListener.PURPOSES - 1;
		}

	}

}
