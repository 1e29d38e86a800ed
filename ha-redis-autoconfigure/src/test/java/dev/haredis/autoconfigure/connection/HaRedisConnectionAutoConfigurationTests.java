package dev.haredis.autoconfigure.connection;

import java.util.Map;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.connection.MasterLettuceConnectionFactory;
import dev.haredis.durability.DurableWrites;
import dev.haredis.test.LocalPorts;
import dev.haredis.topology.AddressMap;
import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.MasterDiscoveryException;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelConnector;
import dev.haredis.topology.SentinelSettings;
import dev.haredis.topology.SentinelTopology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class HaRedisConnectionAutoConfigurationTests {

	private static final String CLOSED_PORT = Integer.toString(LocalPorts.unused());

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HaRedisConnectionAutoConfiguration.class, DataRedisAutoConfiguration.class))
		.withPropertyValues("ha.redis.fail-fast=false");

	private final ApplicationContextRunner sentinelRunner = this.runner.withPropertyValues(
			"ha.redis.sentinel.master=mymaster", "ha.redis.sentinel.nodes=127.0.0.1:" + CLOSED_PORT);

	@Test
	void backsOffWithoutSentinelConfiguration() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(SentinelTopology.class)
				.doesNotHaveBean(HaRedisConnectionDetails.class);
			assertThat(context.getBean(LettuceConnectionFactory.class).getHostName()).isEqualTo("localhost");
		});
	}

	@Test
	void routesTheOnlyConnectionFactoryThroughTheTopology() {
		this.sentinelRunner.withPropertyValues("ha.redis.database=3", "ha.redis.client-name=orders-app")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisConnectionFactory.class)
					.hasSingleBean(SentinelTopology.class)
					.hasSingleBean(ClientResources.class)
					.hasSingleBean(StringRedisTemplate.class);
				LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
				assertThat(factory.getHostName()).isEqualTo(MasterLettuceConnectionFactory.MASTER_HOST);
				assertThat(factory.getDatabase()).isEqualTo(3);
				assertThat(factory.getClientName()).isEqualTo("orders-app");
				assertThat(context.getBean(SentinelTopology.class).getMasterName()).isEqualTo("mymaster");
			});
	}

	@Test
	void startsDegradedWhenFailFastIsOff() {
		this.sentinelRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SentinelTopology.class).getMaster()).isEmpty();
		});
	}

	@Test
	void failsFastWhenNoSentinelCanBeReached() {
		this.sentinelRunner.withPropertyValues("ha.redis.fail-fast=true").run((context) -> {
			assertThat(context).hasFailed();
			MasterDiscoveryException failure = rootCause(context, MasterDiscoveryException.class);
			assertThat(failure.getAttempts()).singleElement()
				.satisfies((attempt) -> assertThat(attempt.problem()).isEqualTo(Problem.SENTINEL_REFUSED));
		});
	}

	@Test
	void upgradesSpringBootSentinelConfigurationWithoutChanges() {
		this.runner
			.withPropertyValues("spring.data.redis.sentinel.master=boot-master",
					"spring.data.redis.sentinel.nodes=127.0.0.1:" + CLOSED_PORT + ",h2:26380",
					"spring.data.redis.sentinel.password=sentinel-pw", "spring.data.redis.password=data-pw",
					"spring.data.redis.database=4")
			.run((context) -> {
				HaRedisConnectionDetails details = context.getBean(HaRedisConnectionDetails.class);
				assertThat(details.getSentinel().getMaster()).isEqualTo("boot-master");
				assertThat(details.getSentinel().getNodes()).containsExactly(
						new NodeAddress("127.0.0.1", Integer.parseInt(CLOSED_PORT)), new NodeAddress("h2", 26380));
				assertThat(details.getSentinel().getPassword()).isEqualTo("sentinel-pw");
				assertThat(details.getPassword()).isEqualTo("data-pw");
				assertThat(details.getDatabase()).isEqualTo(4);
				assertThat(context.getBean(LettuceConnectionFactory.class).getHostName())
					.isEqualTo(MasterLettuceConnectionFactory.MASTER_HOST);
			});
	}

	@Test
	void prefersHaRedisOverSpringBootSentinelProperties() {
		this.sentinelRunner.withPropertyValues("spring.data.redis.sentinel.master=boot-master",
				"spring.data.redis.sentinel.nodes=h9:26379")
			.run((context) -> assertThat(context.getBean(HaRedisConnectionDetails.class).getSentinel().getMaster())
				.isEqualTo("mymaster"));
	}

	@Test
	void readsKombuUrlWithMasterFromProperty() {
		this.runner
			.withPropertyValues("ha.redis.url=sentinel://:pw@127.0.0.1:" + CLOSED_PORT + "/2;sentinel://h2:26380/2;",
					"ha.redis.sentinel.master=celery-master")
			.run((context) -> {
				HaRedisConnectionDetails details = context.getBean(HaRedisConnectionDetails.class);
				assertThat(details.getSentinel().getMaster()).isEqualTo("celery-master");
				assertThat(details.getSentinel().getNodes()).hasSize(2);
				assertThat(details.getPassword()).isEqualTo("pw");
				assertThat(details.getDatabase()).isEqualTo(2);
			});
	}

	@Test
	void tlsUrlSelectsTheSystemTrustStore() {
		this.runner.withPropertyValues("ha.redis.url=rediss-sentinel://127.0.0.1:" + CLOSED_PORT + "#m")
			.run((context) -> {
				assertThat(context.getBean(HaRedisConnectionDetails.class).getSslBundle()).isNotNull();
				assertThat(context.getBean(LettuceConnectionFactory.class).isUseSsl()).isTrue();
			});
	}

	@Test
	void sentinelsFollowTheDataNodesTlsWhenTheirOwnIsNotSet() {
		this.sentinelRunner.withPropertyValues("ha.redis.ssl.enabled=true").run((context) -> {
			HaRedisConnectionDetails details = context.getBean(HaRedisConnectionDetails.class);
			assertThat(details.getSentinelSslBundle()).isNotNull().isSameAs(details.getSslBundle());
			assertThat(tls(context)).containsExactly(true, true);
		});
	}

	@Test
	void reachesPlainSentinelsInFrontOfTlsDataNodes() {
		this.sentinelRunner.withPropertyValues("ha.redis.ssl.enabled=true", "ha.redis.sentinel.ssl.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(HaRedisConnectionDetails.class).getSentinelSslBundle()).isNull();
				assertThat(tls(context)).containsExactly(false, true);
				assertThat(context.getBean(LettuceConnectionFactory.class).isUseSsl()).isTrue();
			});
	}

	@Test
	void tlsUrlWithPlainSentinels() {
		this.runner
			.withPropertyValues("ha.redis.url=rediss-sentinel://127.0.0.1:" + CLOSED_PORT + "#m",
					"ha.redis.sentinel.ssl.enabled=false")
			.run((context) -> assertThat(tls(context)).containsExactly(false, true));
	}

	@Test
	void reachesTlsSentinelsInFrontOfPlainDataNodes() {
		this.sentinelRunner.withPropertyValues("ha.redis.sentinel.ssl.enabled=true").run((context) -> {
			HaRedisConnectionDetails details = context.getBean(HaRedisConnectionDetails.class);
			assertThat(details.getSslBundle()).isNull();
			assertThat(details.getSentinelSslBundle()).isNotNull();
			assertThat(tls(context)).containsExactly(true, false);
			assertThat(context.getBean(LettuceConnectionFactory.class).isUseSsl()).isFalse();
		});
	}

	@Test
	void givesEachSideItsOwnSslBundle() {
		String ca = "classpath:dev/haredis/test/tls/ca.crt";
		this.sentinelRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.pem.data.truststore.certificate=" + ca,
					"spring.ssl.bundle.pem.sentinels.truststore.certificate=" + ca, "ha.redis.ssl.bundle=data",
					"ha.redis.sentinel.ssl.bundle=sentinels")
			.run((context) -> {
				HaRedisConnectionDetails details = context.getBean(HaRedisConnectionDetails.class);
				SslBundles bundles = context.getBean(SslBundles.class);
				assertThat(details.getSslBundle()).isSameAs(bundles.getBundle("data"));
				assertThat(details.getSentinelSslBundle()).isSameAs(bundles.getBundle("sentinels"));
				assertThat(tls(context)).containsExactly(true, true);
			});
	}

	@Test
	void sentinelBundleAloneTurnsTlsOnForTheSentinelsOnly() {
		this.sentinelRunner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues(
					"spring.ssl.bundle.pem.sentinels.truststore.certificate=classpath:dev/haredis/test/tls/ca.crt",
					"ha.redis.sentinel.ssl.bundle=sentinels")
			.run((context) -> {
				assertThat(context.getBean(HaRedisConnectionDetails.class).getSentinelSslBundle())
					.isSameAs(context.getBean(SslBundles.class).getBundle("sentinels"));
				assertThat(tls(context)).containsExactly(true, false);
			});
	}

	@Test
	void sentinelTlsOverridesSpringBootsSslToo() {
		this.runner
			.withPropertyValues("spring.data.redis.sentinel.master=mymaster",
					"spring.data.redis.sentinel.nodes=127.0.0.1:" + CLOSED_PORT, "spring.data.redis.ssl.enabled=true",
					"ha.redis.sentinel.ssl.enabled=false")
			.run((context) -> assertThat(tls(context)).containsExactly(false, true));
	}

	@Test
	void verifiesTheHostNameOfTheDataNodes() {
		this.sentinelRunner.withPropertyValues("ha.redis.ssl.enabled=true")
			.run((context) -> assertThat(
					context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getVerifyMode())
				.isEqualTo(SslVerifyMode.FULL));
	}

	/**
	 * Whether the topology reaches the sentinels and the data nodes over TLS, in that order.
	 */
	private static List<Boolean> tls(AssertableApplicationContext context) {
		SentinelSettings settings = context.getBean(SentinelConnector.class).getSettings();
		return List.of(settings.sentinelSsl(), settings.dataSsl());
	}

	@Test
	void backsOffWhenDisabled() {
		this.sentinelRunner.withPropertyValues("ha.redis.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SentinelTopology.class);
			assertThat(context.getBean(LettuceConnectionFactory.class).getHostName()).isEqualTo("localhost");
		});
	}

	@Test
	void backsOffWithoutLettuce() {
		this.sentinelRunner.withClassLoader(new FilteredClassLoader(RedisClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SentinelTopology.class)
				.doesNotHaveBean(HaRedisConnectionDetails.class));
	}

	@Test
	void userConnectionDetailsEnableAndReplaceTheProperties() {
		HaRedisConnectionDetails details = () -> HaRedisConnectionDetails.Sentinel.of("from-bean",
				List.of(new NodeAddress("127.0.0.1", Integer.parseInt(CLOSED_PORT))), null, null);
		this.runner.withBean(HaRedisConnectionDetails.class, () -> details).run((context) -> {
			assertThat(context).hasSingleBean(HaRedisConnectionDetails.class)
				.doesNotHaveBean(PropertiesHaRedisConnectionDetails.class);
			assertThat(context.getBean(SentinelTopology.class).getMasterName()).isEqualTo("from-bean");
		});
	}

	@Test
	void userConnectionFactoryWins() {
		this.sentinelRunner.withBean("myFactory", RedisConnectionFactory.class, () -> mock(RedisConnectionFactory.class))
			.run((context) -> assertThat(context).hasSingleBean(RedisConnectionFactory.class)
				.hasBean("myFactory")
				.hasSingleBean(SentinelTopology.class));
	}

	@Test
	void userTopologyWins() {
		this.sentinelRunner.withBean("myTopology", SentinelTopology.class, () -> mock(SentinelTopology.class))
			.run((context) -> assertThat(context).hasSingleBean(SentinelTopology.class).hasBean("myTopology"));
	}

	@Test
	void usesUserClientResources() {
		this.sentinelRunner
			.withBean("myResources", ClientResources.class, DefaultClientResources::create,
					(definition) -> definition.setDestroyMethodName("shutdown"))
			.run((context) -> assertThat(context).hasSingleBean(ClientResources.class).hasBean("myResources"));
	}

	@Test
	void appliesSpringBootLettuceCustomizers() {
		AtomicBoolean resourcesCustomized = new AtomicBoolean();
		AtomicBoolean optionsCustomized = new AtomicBoolean();
		this.sentinelRunner
			.withBean(ClientResourcesBuilderCustomizer.class,
					() -> (builder) -> resourcesCustomized.set(true))
			.withBean(LettuceClientOptionsBuilderCustomizer.class, () -> (builder) -> optionsCustomized.set(true))
			.withBean(LettuceClientConfigurationBuilderCustomizer.class,
					() -> (builder) -> builder.clientName("customized").commandTimeout(Duration.ofSeconds(7)))
			.run((context) -> {
				LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
				assertThat(factory.getClientName()).isEqualTo("customized");
				assertThat(factory.getTimeout()).isEqualTo(7000);
				assertThat(resourcesCustomized).isTrue();
				assertThat(optionsCustomized).isTrue();
			});
	}

	@Test
	void createsDurableWritesWithItsOwnSettings() {
		this.sentinelRunner.withPropertyValues("ha.redis.durability.min-replicas=2").run((context) -> {
			assertThat(context).hasSingleBean(DurableWrites.class).hasSingleBean(RedisConnectionFactory.class);
			assertThat(context.getBean(DurableWrites.class).getMinReplicas()).isEqualTo(2);
		});
	}

	@Test
	void userDurableWritesWins() {
		this.sentinelRunner.withBean("myDurableWrites", DurableWrites.class, () -> mock(DurableWrites.class))
			.run((context) -> assertThat(context).hasSingleBean(DurableWrites.class).hasBean("myDurableWrites"));
	}

	@Test
	void detectsDeadPeersWithKeepAliveByDefault() {
		this.sentinelRunner.run((context) -> {
			SocketOptions socket = socketOptions(context);
			assertThat(socket.isKeepAlive()).isTrue();
			assertThat(socket.getKeepAlive().getIdle()).isEqualTo(Duration.ofSeconds(5));
			assertThat(socket.getKeepAlive().getInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(socket.getKeepAlive().getCount()).isEqualTo(3);
			assertThat(socket.getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	@Test
	void appliesSocketProperties() {
		this.sentinelRunner
			.withPropertyValues("ha.redis.socket.keep-alive-idle=10s", "ha.redis.socket.keep-alive-count=5",
					"ha.redis.connect-timeout=500ms")
			.run((context) -> {
				SocketOptions socket = socketOptions(context);
				assertThat(socket.getKeepAlive().getIdle()).isEqualTo(Duration.ofSeconds(10));
				assertThat(socket.getKeepAlive().getCount()).isEqualTo(5);
				assertThat(socket.getConnectTimeout()).isEqualTo(Duration.ofMillis(500));
			});
	}

	private static SocketOptions socketOptions(AssertableApplicationContext context) {
		return context.getBean(LettuceConnectionFactory.class)
			.getClientConfiguration()
			.getClientOptions()
			.orElseThrow()
			.getSocketOptions();
	}

	@Test
	void appliesTimeoutProperties() {
		this.sentinelRunner.withPropertyValues("ha.redis.timeout=3s")
			.run((context) -> assertThat(context.getBean(LettuceConnectionFactory.class).getTimeout()).isEqualTo(3000));
	}

	@Test
	void failsWhenMasterHasNoNodes() {
		assertConfigurationError(this.runner.withPropertyValues("ha.redis.sentinel.master=mymaster"),
				"ha.redis.sentinel.nodes", "no sentinels are listed");
	}

	@Test
	void failsWhenNodesHaveNoMaster() {
		assertConfigurationError(this.runner.withPropertyValues("ha.redis.sentinel.nodes=h1:26379"),
				"ha.redis.sentinel.master", "no master name is set");
	}

	@Test
	void failsOnMalformedNodeNamingItsIndex() {
		assertConfigurationError(
				this.runner.withPropertyValues("ha.redis.sentinel.master=m",
						"ha.redis.sentinel.nodes=h1:26379,h2:port"),
				"ha.redis.sentinel.nodes[1]", "'h2:port' has port 'port', which is not a number");
	}

	@Test
	void takesTheUsernameAndTheUrlsPasswordAsOnePair() {
		String url = "ha.redis.url=redis-sentinel://:secret@127.0.0.1:" + CLOSED_PORT + "#mymaster";
		this.runner.withPropertyValues(url, "ha.redis.username=app").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(HaRedisConnectionDetails.class).getUsername()).isEqualTo("app");
			assertThat(context.getBean(HaRedisConnectionDetails.class).getPassword()).isEqualTo("secret");
		});
		assertConfigurationError(
				this.runner.withPropertyValues("ha.redis.url=redis-sentinel://127.0.0.1:" + CLOSED_PORT + "#mymaster",
						"ha.redis.username=app"),
				"ha.redis.username", "ha.redis.username is set without a password");
	}

	@Test
	void failsOnUserInfoInTheNodeListWithoutShowingIt() {
		this.runner.withPropertyValues("ha.redis.sentinel.master=m", "ha.redis.sentinel.nodes=h1:26379,app:pa/ss@h2")
			.run((context) -> {
				HaRedisConfigurationException failure = rootCause(context, HaRedisConfigurationException.class);
				assertThat(failure.getProperty()).isEqualTo("ha.redis.sentinel.nodes[1]");
				assertThat(failure.getMessage() + failure.getAction()).doesNotContain("pa/ss")
					.doesNotContain("app:")
					.contains("ha.redis.sentinel.password");
			});
	}

	@Test
	void failsOnMalformedUrlWithoutShowingThePassword() {
		this.runner.withPropertyValues("ha.redis.url=redis://:hunter2@h1:6379").run((context) -> {
			HaRedisConfigurationException failure = rootCause(context, HaRedisConfigurationException.class);
			assertThat(failure.getProperty()).isEqualTo("ha.redis.url");
			assertThat(failure.getMessage()).doesNotContain("hunter2").contains("redis-sentinel://");
		});
	}

	@Test
	void failsWhenUrlAndNodesAreBothSet() {
		assertConfigurationError(
				this.runner.withPropertyValues("ha.redis.url=redis-sentinel://h1#m", "ha.redis.sentinel.nodes=h2"),
				"ha.redis.url", "both ha.redis.url and ha.redis.sentinel.nodes list sentinels");
	}

	@Test
	void failsWhenUrlAndPropertyNameDifferentMasters() {
		assertConfigurationError(
				this.runner.withPropertyValues("ha.redis.url=redis-sentinel://h1#a", "ha.redis.sentinel.master=b"),
				"ha.redis.sentinel.master", "differs from the value in ha.redis.url ('b' and 'a')");
	}

	@Test
	void failsWhenClusterIsConfiguredToo() {
		assertConfigurationError(this.sentinelRunner.withPropertyValues("spring.data.redis.cluster.nodes=c1:7000"),
				"spring.data.redis.cluster", "a Redis Cluster is configured as well");
	}

	@Test
	void failsOnUnknownSslBundle() {
		assertConfigurationError(this.sentinelRunner.withPropertyValues("ha.redis.ssl.bundle=missing"),
				"ha.redis.ssl.bundle", "there is no SSL bundle named 'missing'");
	}

	@Test
	void failsOnUnknownSentinelSslBundle() {
		assertConfigurationError(this.sentinelRunner.withPropertyValues("ha.redis.sentinel.ssl.bundle=missing"),
				"ha.redis.sentinel.ssl.bundle", "there is no SSL bundle named 'missing'");
	}

	@Test
	void addressMapComesFromPropertiesAndCustomizers() {
		addressMap(addressMap(this.sentinelRunner, "10.0.0.5:6379", "127.0.0.1:16379"), "10.0.0.6", "localhost")
			.withBean(AddressMapCustomizer.class, () -> (builder) -> builder
				.mapping((announced) -> new NodeAddress("127.0.0.1", announced.port() + 20000)))
			.run((context) -> {
				AddressMap map = context.getBean(SentinelConnector.class).getSettings().addressMap();
				assertThat(map.map(new NodeAddress("10.0.0.5", 6379))).isEqualTo(new NodeAddress("127.0.0.1", 16379));
				assertThat(map.map(new NodeAddress("10.0.0.6", 6380))).isEqualTo(new NodeAddress("localhost", 6380));
				assertThat(map.map(new NodeAddress("10.0.0.7", 6381))).isEqualTo(new NodeAddress("127.0.0.1", 26381));
			});
	}

	@Test
	void configurationErrorsAreReportedByTheFailureAnalyzer() {
		this.runner.withPropertyValues("ha.redis.sentinel.master=mymaster").run((context) -> {
			var analysis = new HaRedisConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.isEqualTo("Invalid ha-redis configuration in 'ha.redis.sentinel.nodes': no sentinels are listed.");
			assertThat(analysis.getAction()).startsWith("List the sentinels as host:port");
		});
	}

	/**
	 * Add an address-map entry as a property source would: {@code withPropertyValues} would split the key at its colon.
	 */
	static ApplicationContextRunner addressMap(ApplicationContextRunner runner, String announced, String reachable) {
		return runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("address-map " + announced,
					Map.of("ha.redis.sentinel.address-map[" + announced + "]", reachable))));
	}

	static void assertConfigurationError(ApplicationContextRunner runner, String property, String problem) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			HaRedisConfigurationException failure = rootCause(context, HaRedisConfigurationException.class);
			assertThat(failure.getProperty()).isEqualTo(property);
			assertThat(failure.getProblem()).contains(problem);
			assertThat(failure.getAction()).isNotBlank();
		});
	}

	static <T extends Throwable> T rootCause(AssertableApplicationContext context, Class<T> type) {
		for (Throwable candidate = context.getStartupFailure(); candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + context.getStartupFailure());
	}


}
