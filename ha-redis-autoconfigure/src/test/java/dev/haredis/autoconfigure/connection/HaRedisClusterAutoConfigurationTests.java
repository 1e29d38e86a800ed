package dev.haredis.autoconfigure.connection;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.haredis.cluster.ClusterLettuceConnectionFactory;
import dev.haredis.cluster.ClusterListener;
import dev.haredis.cluster.ClusterMonitor;
import dev.haredis.cluster.ClusterUnreachableException;
import dev.haredis.test.LocalPorts;
import dev.haredis.topology.AddressMap;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;

import static dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfigurationTests.assertConfigurationError;
import static dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfigurationTests.rootCause;
import static org.assertj.core.api.Assertions.assertThat;

class HaRedisClusterAutoConfigurationTests {

	private static final String CLOSED = "127.0.0.1:" + LocalPorts.unused();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
				HaRedisClusterAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.cluster.timeout=100ms");

	@Test
	void backsOffWithoutClusterConfiguration() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ClusterMonitor.class)
			.doesNotHaveBean(ClusterLettuceConnectionFactory.class));
	}

	@Test
	void theOnlyConnectionFactoryFollowsTheClusterMonitor() {
		this.runner.withPropertyValues("ha.redis.cluster.nodes=" + CLOSED + ",127.0.0.2:7001",
				"ha.redis.cluster.max-redirects=3", "ha.redis.timeout=2s").run((context) -> {
					assertThat(context).hasSingleBean(RedisConnectionFactory.class)
						.hasSingleBean(ClusterMonitor.class)
						.doesNotHaveBean(SentinelTopology.class)
						.hasBean("haRedisClusterEventPublisher");
					LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
					assertThat(factory).isInstanceOf(ClusterLettuceConnectionFactory.class);
					assertThat(factory.getClusterConfiguration().getClusterNodes()).hasSize(2);
					assertThat(factory.getClusterConfiguration().getMaxRedirects()).isEqualTo(3);
					assertThat(factory.getTimeout()).isEqualTo(2000);
					assertThat(context.getBean(ClusterConnectionSettings.class).seeds())
						.contains(new NodeAddress("127.0.0.2", 7001));
				});
	}

	@Test
	void takesOverSpringBootsClusterProperties() {
		this.runner
			.withPropertyValues("spring.data.redis.cluster.nodes=" + CLOSED, "spring.data.redis.cluster.max-redirects=2",
					"spring.data.redis.username=app", "spring.data.redis.password=secret")
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterMonitor.class);
				ClusterConnectionSettings settings = context.getBean(ClusterConnectionSettings.class);
				assertThat(settings.username()).isEqualTo("app");
				assertThat(settings.password()).isEqualTo("secret");
				assertThat(context.getBean(LettuceConnectionFactory.class).getClusterConfiguration().getMaxRedirects())
					.isEqualTo(2);
			});
	}

	@Test
	void userClusterListenersAreToldBesideTheApplicationEventPublisher() {
		this.runner.withPropertyValues("ha.redis.cluster.nodes=" + CLOSED)
			.withBean("myListener", ClusterListener.class, () -> (event) -> {
			})
			.run((context) -> assertThat(context).getBeans(ClusterListener.class).hasSize(2));
	}

	@Test
	void connectionDetailsAloneSwitchTheClusterSupportOnAndCarryTheAddressMap() {
		NodeAddress announced = new NodeAddress("127.0.0.2", 7000);
		NodeAddress reachable = NodeAddress.parse(CLOSED, 6379);
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class,
					HaRedisClusterAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withPropertyValues("ha.redis.fail-fast=false", "ha.redis.cluster.timeout=100ms")
			.withBean(HaRedisClusterConnectionDetails.class, () -> new HaRedisClusterConnectionDetails() {

				@Override
				public List<NodeAddress> getNodes() {
					return List.of(reachable);
				}

				@Override
				public AddressMap getAddressMap() {
					return AddressMap.builder().address(announced, reachable).build();
				}

			})
			.run((context) -> {
				assertThat(context).hasSingleBean(ClusterMonitor.class).hasSingleBean(ClusterLettuceConnectionFactory.class);
				ClusterConnectionSettings settings = context.getBean(ClusterConnectionSettings.class);
				assertThat(settings.seeds()).containsExactly(reachable);
				assertThat(settings.addressMap().map(announced)).isEqualTo(reachable);
			});
	}

	@Test
	void refusesAnUnreadableAddressMapEntry() {
		this.runner.withPropertyValues("ha.redis.cluster.nodes=" + CLOSED, "ha.redis.cluster.address-map[redis-a]=")
			.run((context) -> assertThat(rootCause(context, BindException.class).getMessage())
				.contains("ha.redis.cluster"));
	}

	@Test
	void refusesAClusterBesideASentinelTopology() {
		assertConfigurationError(this.runner.withPropertyValues("ha.redis.sentinel.master=mymaster",
				"ha.redis.sentinel.nodes=" + CLOSED, "ha.redis.cluster.nodes=" + CLOSED), "ha.redis.cluster.nodes",
				"as well as a Sentinel topology");
	}

	@Test
	void refusesClusterConnectionDetailsBesideASentinelTopology() {
		assertConfigurationError(this.runner
			.withPropertyValues("ha.redis.sentinel.master=mymaster", "ha.redis.sentinel.nodes=" + CLOSED)
			.withBean(HaRedisClusterConnectionDetails.class,
					() -> () -> List.of(NodeAddress.parse(CLOSED, 6379))),
				"HaRedisClusterConnectionDetails", "as well as a Sentinel topology");
	}

	@Test
	void refusesADatabaseOtherThanZeroNamingTheProperty() {
		String nodes = "ha.redis.cluster.nodes=" + CLOSED;
		assertConfigurationError(this.runner.withPropertyValues(nodes, "ha.redis.database=2"), "ha.redis.database",
				"Redis Cluster");
		assertConfigurationError(this.runner.withPropertyValues(nodes, "spring.data.redis.database=1"),
				"spring.data.redis.database", "Redis Cluster");
		assertConfigurationError(this.runner.withPropertyValues(nodes, "ha.redis.session.database=4"),
				"ha.redis.session.database", "Redis Cluster");
		this.runner.withPropertyValues(nodes, "ha.redis.database=0", "ha.redis.cache.database=0")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void refusesAnUnreadableNodeNamingItsIndexAndNeverEchoesUserInfo() {
		assertConfigurationError(this.runner.withPropertyValues("ha.redis.cluster.nodes=" + CLOSED + ",host:99999"),
				"ha.redis.cluster.nodes[1]", "port");
		this.runner.withPropertyValues("ha.redis.cluster.nodes=app:s3cret@host:7000").run((context) -> {
			HaRedisConfigurationException failure = rootCause(context, HaRedisConfigurationException.class);
			assertThat(failure.getProperty()).isEqualTo("ha.redis.cluster.nodes[0]");
			assertThat(failure.getMessage() + failure.getAction()).doesNotContain("s3cret");
		});
	}

	@Test
	void refusesAFastIntervalLongerThanTheRefreshInterval() {
		this.runner
			.withPropertyValues("ha.redis.cluster.nodes=" + CLOSED, "ha.redis.cluster.fast-interval=2s",
					"ha.redis.cluster.refresh-interval=1s")
			.run((context) -> assertThat(rootCause(context, BindException.class).getMessage())
				.contains("ha.redis.cluster"));
	}

	@Test
	void failsFastWithWhatEachSeedDidAndTheAdvice() {
		this.runner.withPropertyValues("ha.redis.fail-fast=true", "ha.redis.cluster.nodes=" + CLOSED).run((context) -> {
			ClusterUnreachableException failure = rootCause(context, ClusterUnreachableException.class);
			assertThat(failure.getFailures()).singleElement().asString().startsWith(CLOSED + ": ");
			FailureAnalysis analysis = new ClusterUnreachableFailureAnalyzer().analyze(failure);
			assertThat(analysis.getDescription()).contains(CLOSED);
			assertThat(analysis.getAction()).contains("ha.redis.cluster.nodes", "ha.redis.fail-fast=false");
		});
	}

}
