package dev.haredis.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Class names written as strings rot silently when a class moves: every one in the ha-redis auto-configurations (the
 * {@code AutoConfiguration.imports} entries, {@code afterName} and {@code beforeName}, class-name constants) must name
 * a class that exists, and every ha-redis auto-configuration another one runs after or before must be listed.
 */
class AutoConfigurationNamesTests {

	private static final Pattern CLASS_NAME = Pattern
		.compile("(org|io|tools|com|dev)(\\.[a-z][a-z0-9]*)+(\\.[A-Z]\\w*)+");

	private static final ClassLoader CLASS_LOADER = AutoConfigurationNamesTests.class.getClassLoader();

	@Test
	void everyListedAutoConfigurationExistsAndIsAnnotated() {
		assertThat(listed()).isNotEmpty()
			.contains("dev.haredis.autoconfigure.connection.HaRedisConnectionAutoConfiguration",
					"dev.haredis.autoconfigure.purpose.HaRedisPurposeAutoConfiguration")
			.allSatisfy((name) -> assertThat(ClassUtils.resolveClassName(name, CLASS_LOADER))
				.as(name)
				.hasAnnotation(AutoConfiguration.class));
	}

	@Test
	void everyAutoConfigurationNamedAsAStringExists() {
		List<String> named = new ArrayList<>();
		for (Class<?> type : autoConfigurations()) {
			AutoConfiguration annotation = type.getAnnotation(AutoConfiguration.class);
			named.addAll(Arrays.asList(annotation.afterName()));
			named.addAll(Arrays.asList(annotation.beforeName()));
		}
		assertThat(named).isNotEmpty()
			.allSatisfy((name) -> assertThat(ClassUtils.isPresent(name, CLASS_LOADER)).as(name).isTrue());
	}

	@Test
	void everyHaRedisAutoConfigurationRunAfterOrBeforeIsListed() {
		List<String> listed = listed();
		for (Class<?> type : autoConfigurations()) {
			AutoConfiguration annotation = type.getAnnotation(AutoConfiguration.class);
			List<String> ordered = new ArrayList<>();
			Arrays.stream(annotation.after()).map(Class::getName).forEach(ordered::add);
			Arrays.stream(annotation.before()).map(Class::getName).forEach(ordered::add);
			ordered.addAll(Arrays.asList(annotation.afterName()));
			ordered.addAll(Arrays.asList(annotation.beforeName()));
			assertThat(ordered.stream().filter((name) -> name.startsWith("dev.haredis.")))
				.as(type.getName())
				.allSatisfy((name) -> assertThat(listed).contains(name));
		}
	}

	@Test
	void everyClassNameConstantOfAnAutoConfigurationExists() throws IllegalAccessException {
		List<String> constants = new ArrayList<>();
		for (Class<?> type : autoConfigurations()) {
			for (Field field : type.getDeclaredFields()) {
				if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
					field.setAccessible(true);
					String value = (String) field.get(null);
					if (value != null && CLASS_NAME.matcher(value).matches()) {
						constants.add(type.getSimpleName() + "." + field.getName() + "=" + value);
						assertThat(ClassUtils.isPresent(value, CLASS_LOADER)).as(type.getName() + "." + field.getName())
							.isTrue();
					}
				}
			}
		}
		assertThat(constants).as("class-name constants found").isNotEmpty();
	}

	private static List<String> listed() {
		return ImportCandidates.load(AutoConfiguration.class, CLASS_LOADER)
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("dev.haredis."))
			.toList();
	}

	private static List<Class<?>> autoConfigurations() {
		return listed().stream().<Class<?>>map((name) -> ClassUtils.resolveClassName(name, CLASS_LOADER)).toList();
	}

}
