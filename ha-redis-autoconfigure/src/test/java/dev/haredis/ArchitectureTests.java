package dev.haredis;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.haredis.autoconfigure.connection.HaRedisProperties;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules about the shape of ha-redis-autoconfigure's main code, checked on its compiled classes (the test classes and
 * the other modules are not looked at): no package cycle, the public types of each package pinned, a topology
 * decision core without I/O, threads or clocks, and auto-configurations whose beans back off.
 */
class ArchitectureTests {

	/**
	 * The classes of the topology's decision core (with their nested classes): they take sentinel answers, events
	 * and the time as plain values and return decisions, so they must not reach Lettuce, Netty, an executor, a
	 * thread or a clock. Add a class here when the core gains one.
	 */
	static final List<String> TOPOLOGY_CORE = List.of("dev.haredis.topology.TopologyCore",
			"dev.haredis.topology.SentinelEventIntake", "dev.haredis.topology.SentinelCheckIntake",
			"dev.haredis.topology.CheckRounds", "dev.haredis.topology.PromotionWatch",
			"dev.haredis.topology.FailoverWatch", "dev.haredis.topology.MasterRequests",
			"dev.haredis.topology.MasterRoute", "dev.haredis.topology.AnnouncementGate",
			"dev.haredis.topology.KnownMaster", "dev.haredis.topology.SentinelReachability",
			"dev.haredis.topology.SentinelCheck", "dev.haredis.topology.SentinelTrust",
			"dev.haredis.topology.SentinelRoster", "dev.haredis.topology.SnapshotAssembler",
			"dev.haredis.topology.AnnouncedAddresses", "dev.haredis.topology.TopologyDecision",
			// the cluster monitor's core follows the same rules
			"dev.haredis.cluster.ClusterCore", "dev.haredis.cluster.ClusterDecision", "dev.haredis.cluster.ClusterView",
			"dev.haredis.cluster.ClusterViews", "dev.haredis.cluster.ReplicationInfo",
			"dev.haredis.cluster.ReplicaLags", "dev.haredis.cluster.PollTargets");

	/**
	 * What the core may use of {@code java.util.concurrent}, the rest of which (executors, futures, locks, queues,
	 * latches) is the shell's.
	 */
	static final List<String> CORE_MAY_USE_OF_JAVA_UTIL_CONCURRENT = List.of();

	/**
	 * Types of {@code java.util.concurrent} outside {@link #CORE_MAY_USE_OF_JAVA_UTIL_CONCURRENT} that a core class
	 * still uses, as {@code class -> type}. Each is a debt, to be paid by the one thread that feeds the core: none
	 * left since the core maps announced addresses itself.
	 */
	static final Map<String, String> CORE_CONCURRENCY_DEBTS = Map.of();

	/**
	 * The public top-level types of each package. A new public type, or one that stops being public, is a decision:
	 * make it here. Types the application does not touch are package-private, or in an {@code internal} package
	 * when another package needs them.
	 */
	static final Map<String, Set<String>> PUBLIC_TYPES = Map.ofEntries(
			Map.entry("dev.haredis.autoconfigure.cache",
					Set.of("HaRedisCacheAutoConfiguration", "HaRedisCacheMetricsAutoConfiguration",
							"HaRedisCacheProperties")),
			Map.entry("dev.haredis.autoconfigure.connection",
					Set.of("AddressMapCustomizer", "ConnectionFactoryBuilder", "ConnectionSettings",
							"HaRedisConfigurationException",
							"HaRedisClusterAutoConfiguration", "HaRedisClusterConnectionDetails", "HaRedisClusterProperties",
							"HaRedisConnectionAutoConfiguration", "HaRedisConnectionDetails", "HaRedisProperties",
							"MasterConnectionFactoryBuilder")),
			Map.entry("dev.haredis.autoconfigure.endpoint", Set.of("HaRedisEndpointAutoConfiguration")),
			Map.entry("dev.haredis.autoconfigure.health", Set.of("HaRedisHealthContributorAutoConfiguration",
					"HaRedisClusterHealthContributorAutoConfiguration")),
			Map.entry("dev.haredis.autoconfigure.messaging",
					Set.of("HaRedisMessagingAutoConfiguration", "HaRedisMessagingProperties")),
			Map.entry("dev.haredis.autoconfigure.metrics",
					Set.of("HaRedisMetricsAutoConfiguration", "HaRedisClusterMetricsAutoConfiguration")),
			Map.entry("dev.haredis.autoconfigure.purpose",
					Set.of("ConnectionPurpose", "ConnectionPurposeProperties", "HaRedisPurposeAutoConfiguration")),
			Map.entry("dev.haredis.autoconfigure.queue",
					Set.of("HaRedisQueueAutoConfiguration", "HaRedisQueueHealthContributorAutoConfiguration",
							"HaRedisQueueMetricsAutoConfiguration", "HaRedisQueueProperties")),
			Map.entry("dev.haredis.autoconfigure.session",
					Set.of("HaRedisSessionAutoConfiguration", "HaRedisSessionProperties")),
			Map.entry("dev.haredis.autoconfigure.internal", Set.of("PropertyChecks", "UrlMasking")),
			Map.entry("dev.haredis.cache",
					Set.of(
							// what applications touch
							"CacheOutage", "CacheOperation", "CacheOutageMetrics",
							// what the auto-configuration creates
							"FailOpenRedisCacheWriter", "UnreadableAsMissSerializer")),
			Map.entry("dev.haredis.cluster",
					Set.of(
							// what applications touch: the shards, the snapshot, the failover event and its listener
							"ClusterView", "ClusterSnapshot", "ShardFailoverEvent", "ClusterListener",
							"ClusterUnreachableException",
							// what the auto-configuration creates
							"ClusterMonitor", "ClusterMonitorSettings", "ClusterLettuceConnectionFactory",
							"HaRedisClusterClient")),
			Map.entry("dev.haredis.connection", Set.of("MasterLettuceConnectionFactory", "MasterRouting", "WriteGate",
					"AddressMappedClientResources")),
			Map.entry("dev.haredis.fence", Set.of("ReplicationFence", "ReplicationFenceProbe", "WritesFencedEvent",
					"WritesFencedException", "WritesResumedEvent")),
			Map.entry("dev.haredis.autoconfigure.fence", Set.of("HaRedisFenceAutoConfiguration", "HaRedisFenceProperties")),
			Map.entry("dev.haredis.durability", Set.of("DurableWrites", "WriteNotReplicatedException")),
			Map.entry("dev.haredis.health", Set.of("SentinelTopologyHealthIndicator", "ClusterHealthIndicator")),
			Map.entry("dev.haredis.messaging", Set.of("MessagesMayHaveBeenMissedEvent")),
			Map.entry("dev.haredis.messaging.internal", Set.of("SubscriptionRecoveryProbes")),
			Map.entry("dev.haredis.metrics",
					Set.of("SentinelTopologyMetrics", "SubscriptionRecoveryMetrics", "ClusterMetrics")),
			Map.entry("dev.haredis.queue",
					Set.of(
							// what applications touch
							"TaskQueueOperations", "TaskQueueTemplate", "TaskListener", "TaskHandler",
							"TaskHandlers", "TaskContext", "TaskResult", "TaskState", "TaskQueueObserver",
							"QueueState",
							// what the auto-configuration creates
							"TaskQueueSettings", "TaskPayloads", "TaskQueueStates", "TaskWorkers",
							"TaskQueueHealthIndicator", "TaskQueueMetrics")),
			Map.entry("dev.haredis.internal", Set.of("BackgroundThreads", "RedisErrors", "TrustedJdkSerializer",
					"TrustedJson", "TrustedPackages")),
			// What applications touch (the topology's API, events and listeners, the address map), and what the
			// auto-configuration creates as a bean an application may replace (SentinelConnector with its
			// SentinelSettings); DiscoveredMaster and DiscoveryAttempt are in the API's answers and reports.
			Map.entry("dev.haredis.topology",
					Set.of("AddressMap", "AddressMapping", "DiscoveredMaster", "DiscoveryAttempt",
							"MasterDiscoveryException", "MasterSwitchedEvent", "MonitorSettings", "NodeAddress",
							"PromotionAnnouncedEvent",
							"SentinelConnector", "SentinelEvent", "SentinelLostEvent",
							"SentinelRegainedEvent", "SentinelSettings", "SentinelTopology", "TopologyDegradedEvent",
							"TopologyEvent", "TopologyHealth", "TopologyListener", "TopologyRecoveredEvent",
							"TopologySnapshot")));

	/**
	 * {@code @Bean} methods of auto-configurations (or of their nested configurations) that do not back off with
	 * {@code @ConditionalOnMissingBean}, on the method or on its configuration class, and why. Keyed by
	 * {@code Class.method}.
	 */
	static final Map<String, String> BEANS_THAT_DO_NOT_BACK_OFF = Map.ofEntries(Map.entry(
			"LettuceClientResourcesConfiguration.haRedisBootSettings",
			"a package-private type, the Spring Boot settings as bound: an application cannot define one"),
			Map.entry("HaRedisClusterAutoConfiguration.haRedisClusterSettings",
					"a package-private type, the cluster settings as checked: an application gives "
							+ "HaRedisClusterConnectionDetails instead"),
			Map.entry("HaRedisClusterAutoConfiguration.haRedisClusterEventPublisher",
					"a ClusterListener among others: the application's listeners add to it, they do not replace it"),
			Map.entry(
			"HaRedisConnectionAutoConfiguration.haRedisConnectionFactoryBuilder",
			"every purpose builds its factory with it; applications tune it through Boot's Lettuce customizers"),
			Map.entry("HaRedisClusterAutoConfiguration.haRedisConnectionFactoryBuilder",
					"the cluster's twin of the Sentinel builder: every purpose builds its factory with it"),
			Map.entry("HaRedisConnectionAutoConfiguration.haRedisTopologyEventPublisher",
					"a TopologyListener among others: the application's listeners add to it, they do not replace it"),
			Map.entry("HaRedisPurposeAutoConfiguration.haRedisConnectionPurposeCheck",
					"a package-private start-up check of the purposes' settings, nothing an application provides"),
			Map.entry("HaRedisQueueAutoConfiguration.haRedisTaskListenerMethodRegistrar",
					"the static post-processor behind @TaskListener; off with ha.redis.queue.enabled=false"),
			Map.entry("KeyPrefixConfiguration.haRedisSessionKeyPrefixCustomizer",
					"a SessionRepositoryCustomizer, which adds to the application's own as Boot's customizers do"),
			Map.entry("KeyPrefixConfiguration.haRedisIndexedSessionKeyPrefixCustomizer",
					"a SessionRepositoryCustomizer, which adds to the application's own as Boot's customizers do"));

	/** The main classes of this module, and nothing else (its tests and ha-redis-test are elsewhere). */
	private static final JavaClasses MAIN = new ClassFileImporter().importUrl(mainClasses());

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.haredis.(**)").should().beFreeOfCycles().check(MAIN);
	}

	@Test
	void eachPackageExposesExactlyItsPinnedPublicTypes() {
		Map<String, Set<String>> actual = publicTypes();
		Set<String> packages = new TreeSet<>(actual.keySet());
		packages.addAll(PUBLIC_TYPES.keySet());
		List<String> differences = new ArrayList<>();
		for (String name : packages) {
			Set<String> pinned = PUBLIC_TYPES.getOrDefault(name, Set.of());
			Set<String> found = actual.getOrDefault(name, Set.of());
			Set<String> added = new TreeSet<>(found);
			added.removeAll(pinned);
			Set<String> gone = new TreeSet<>(pinned);
			gone.removeAll(found);
			if (!added.isEmpty()) {
				differences.add(name + ": public but not pinned " + added);
			}
			if (!gone.isEmpty()) {
				differences.add(name + ": pinned but not public (or gone) " + gone);
			}
		}
		assertThat(differences).as("public types against PUBLIC_TYPES").isEmpty();
	}

	/**
	 * Prints how many top-level types are public outside the {@code internal} packages (the aim: at most half).
	 * {@link #eachPackageExposesExactlyItsPinnedPublicTypes()} keeps the number from growing unseen.
	 */
	@Test
	void reportsHowManyTypesArePublic() {
		long types = MAIN.stream().filter(ArchitectureTests::isTopLevel).count();
		long exposed = publicTypes().entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().endsWith(".internal"))
			.mapToLong((entry) -> entry.getValue().size())
			.sum();
		System.out.println("public types: " + exposed + " of " + types);
	}

	@Test
	void everyClassOfTheTopologyCoreExists() {
		Set<String> names = MAIN.stream().map(JavaClass::getName).collect(Collectors.toSet());
		assertThat(names).containsAll(TOPOLOGY_CORE);
		assertThat(TOPOLOGY_CORE).containsAll(CORE_CONCURRENCY_DEBTS.keySet());
	}

	@Test
	void topologyCoreUsesNoLettuceNettyThreadOrClockType() {
		noClasses().that(belongToTheTopologyCore())
			.should()
			.dependOnClassesThat(resideInAnyPackage("io.lettuce..", "io.netty..")
				.or(JavaClass.Predicates.assignableTo(Thread.class))
				.or(JavaClass.Predicates.assignableTo(Clock.class)))
			.because("the core decides from plain values; the shell does the I/O, owns the threads and reads the clock")
			.check(MAIN);
	}

	@Test
	void topologyCoreUsesNoExecutorFutureOrLock() {
		classes().that(belongToTheTopologyCore())
			.should(useNoConcurrencyTypesButTheAllowedOnes())
			.because("executors, futures, locks and queues belong to the shell, which feeds the core on one thread")
			.check(MAIN);
	}

	@Test
	void topologyCoreNeitherReadsTheClockNorSleeps() {
		noClasses().that(belongToTheTopologyCore())
			.should()
			.callMethod(System.class, "currentTimeMillis")
			.orShould()
			.callMethod(System.class, "nanoTime")
			.orShould()
			.callMethod(Thread.class, "sleep", long.class)
			.orShould(readTheClock())
			.because("the shell passes the current time in")
			.check(MAIN);
	}

	@Test
	void autoConfigurationsArePublicFinalAndTheirBeansBackOff() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(MAIN);
		List<String> beansThatDoNotBackOff = new ArrayList<>();
		for (JavaClass type : MAIN) {
			if (!isInAutoConfiguration(type) || backsOffAsAWhole(type)) {
				continue;
			}
			for (JavaMethod method : type.getMethods()) {
				if (method.isAnnotatedWith(Bean.class) && !method.isAnnotatedWith(ConditionalOnMissingBean.class)) {
					beansThatDoNotBackOff.add(type.getSimpleName() + "." + method.getName());
				}
			}
		}
		assertThat(beansThatDoNotBackOff).containsExactlyInAnyOrderElementsOf(BEANS_THAT_DO_NOT_BACK_OFF.keySet());
	}

	/**
	 * Whether a type is an auto-configuration, nested in one, or imported by one.
	 */
	private static boolean isInAutoConfiguration(JavaClass type) {
		for (JavaClass enclosing = type; enclosing != null; enclosing = enclosing.getEnclosingClass().orElse(null)) {
			if (enclosing.isAnnotatedWith(AutoConfiguration.class) || importedByAnAutoConfiguration(enclosing)) {
				return true;
			}
		}
		return false;
	}

	private static boolean importedByAnAutoConfiguration(JavaClass type) {
		return MAIN.stream()
			.filter((candidate) -> candidate.isAnnotatedWith(AutoConfiguration.class)
					&& candidate.isAnnotatedWith(Import.class))
			.anyMatch((autoConfiguration) -> Arrays.asList(autoConfiguration.reflect().getAnnotation(Import.class).value())
				.contains(type.reflect()));
	}

	/**
	 * Whether a configuration class backs off as a whole when one of its own beans is defined: a class-level
	 * {@code @ConditionalOnMissingBean} without types, or naming (by name or type) a bean the class defines. One that
	 * names something else ("no Sentinel topology") is a condition on that, and its beans must back off one by one.
	 */
	private static boolean backsOffAsAWhole(JavaClass type) {
		if (!type.isAnnotatedWith(ConditionalOnMissingBean.class)) {
			return false;
		}
		ConditionalOnMissingBean condition = type.reflect().getAnnotation(ConditionalOnMissingBean.class);
		if (condition.value().length == 0 && condition.type().length == 0 && condition.name().length == 0) {
			return true;
		}
		List<Method> beans = Arrays.stream(type.reflect().getDeclaredMethods())
			.filter((method) -> method.isAnnotationPresent(Bean.class))
			.toList();
		boolean namesItsBean = Arrays.stream(condition.name())
			.anyMatch((name) -> beans.stream().anyMatch((bean) -> beanNames(bean).contains(name)));
		boolean typesItsBean = Arrays.stream(condition.value())
			.anyMatch((missing) -> beans.stream().anyMatch((bean) -> missing.isAssignableFrom(bean.getReturnType())));
		return namesItsBean || typesItsBean;
	}

	private static List<String> beanNames(Method bean) {
		Bean annotation = bean.getAnnotation(Bean.class);
		List<String> names = new ArrayList<>(Arrays.asList(annotation.name()));
		return names.isEmpty() ? List.of(bean.getName()) : names;
	}

	private static Map<String, Set<String>> publicTypes() {
		return MAIN.stream()
			.filter(ArchitectureTests::isTopLevel)
			.filter((type) -> Modifier.isPublic(type.reflect().getModifiers()))
			.collect(Collectors.groupingBy(JavaClass::getPackageName, TreeMap::new,
					Collectors.mapping(JavaClass::getSimpleName, Collectors.toCollection(TreeSet::new))));
	}

	private static boolean isTopLevel(JavaClass type) {
		return type.isTopLevelClass() && !type.getSimpleName().equals("package-info");
	}

	private static DescribedPredicate<JavaClass> belongToTheTopologyCore() {
		return DescribedPredicate.describe("belong to the topology core " + TOPOLOGY_CORE,
				(type) -> TOPOLOGY_CORE.stream()
					.anyMatch((core) -> type.getName().equals(core) || type.getName().startsWith(core + "$")));
	}

	private static ArchCondition<JavaClass> useNoConcurrencyTypesButTheAllowedOnes() {
		return new ArchCondition<>("use no type of java.util.concurrent but those of "
				+ CORE_MAY_USE_OF_JAVA_UTIL_CONCURRENT + " (and the debts " + CORE_CONCURRENCY_DEBTS + ")") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				String outermost = type.getName().contains("$")
						? type.getName().substring(0, type.getName().indexOf('$')) : type.getName();
				for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
					JavaClass target = dependency.getTargetClass();
					String targetPackage = target.getPackageName();
					boolean concurrency = targetPackage.equals("java.util.concurrent")
							|| targetPackage.startsWith("java.util.concurrent.");
					boolean allowed = CORE_MAY_USE_OF_JAVA_UTIL_CONCURRENT.stream()
						.anyMatch((name) -> targetPackage.equals(name) || targetPackage.startsWith(name + "."))
							|| target.getName().equals(CORE_CONCURRENCY_DEBTS.get(outermost));
					if (concurrency && !allowed) {
						events.add(SimpleConditionEvent.violated(type, dependency.getDescription()));
					}
				}
			}

		};
	}

	/**
	 * Reads the time from the system clock: {@code now()} of a {@code java.time} type. Used under {@code noClasses()},
	 * which turns each satisfied event into a violation.
	 */
	private static ArchCondition<JavaClass> readTheClock() {
		return new ArchCondition<>("read the clock with a java.time now()") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				for (JavaAccess<?> access : type.getAccessesFromSelf()) {
					if (access.getName().equals("now")
							&& access.getTargetOwner().getPackageName().startsWith("java.time")) {
						events.add(SimpleConditionEvent.satisfied(type, access.getDescription()));
					}
				}
			}

		};
	}

	private static URL mainClasses() {
		return HaRedisProperties.class.getProtectionDomain().getCodeSource().getLocation();
	}

}
