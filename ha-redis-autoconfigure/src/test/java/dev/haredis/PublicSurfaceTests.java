package dev.haredis;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public types of the capability packages: those applications touch, and those the auto-configuration (in
 * another package) creates, each saying so in its javadoc. A new public type is a decision, not an accident.
 */
class PublicSurfaceTests {

	@Test
	void theQueueExposesOnlyWhatApplicationsAndItsAutoConfigurationUse() throws Exception {
		assertThat(publicTypes("dev.haredis.queue")).containsExactlyInAnyOrder(
				// what applications touch
				"TaskQueueOperations", "TaskQueueTemplate", "TaskListener", "TaskHandler", "TaskHandlers",
				"TaskContext", "TaskResult", "TaskState", "TaskQueueObserver", "QueueState",
				// what the auto-configuration creates
				"TaskQueueSettings", "TaskPayloads", "TaskQueueStates", "DeclaredQueues",
				"TaskListenerMethodRegistrar", "TaskWorkers", "TaskQueueHealthIndicator", "TaskQueueMetrics");
	}

	@Test
	void theCacheExposesOnlyWhatApplicationsAndItsAutoConfigurationUse() throws Exception {
		assertThat(publicTypes("dev.haredis.cache")).containsExactlyInAnyOrder(
				// what applications touch
				"CacheOutage", "CacheOperation",
				// what the auto-configuration creates
				"FailOpenRedisCacheWriter", "UnreadableAsMissSerializer", "CacheOutageMetrics");
	}

	private static Set<String> publicTypes(String packageName) throws IOException {
		String path = ClassUtils.convertClassNameToResourcePath(packageName);
		Set<String> names = new TreeSet<>();
		ClassLoader classLoader = PublicSurfaceTests.class.getClassLoader();
		for (Resource resource : new PathMatchingResourcePatternResolver(classLoader)
			.getResources("classpath*:" + path + "/*.class")) {
			String file = resource.getFilename();
			if (file == null || file.contains("$") || file.endsWith("Tests.class") || file.equals("package-info.class")
					|| !resource.getURL().toString().contains("/classes/")) {
				continue;
			}
			String simpleName = file.substring(0, file.length() - ".class".length());
			Class<?> type = ClassUtils.resolveClassName(packageName + "." + simpleName, classLoader);
			if (Modifier.isPublic(type.getModifiers())) {
				names.add(simpleName);
			}
		}
		return names;
	}

}
