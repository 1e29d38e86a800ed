package dev.haredis;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.ClassMetadata;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.util.ClassUtils;

import dev.haredis.topology.SentinelSettings.Credentials;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record's generated {@code toString} prints every component, so a record that holds a password would print it
 * wherever it is logged or shown in an exception: each such record must write its own.
 */
class CredentialRecordsTests {

	@Test
	void everyRecordHoldingAPasswordWritesItsOwnToString() throws Exception {
		List<Class<?>> records = recordsOf("dev.haredis");
		assertThat(records).as("records found by the scan").hasSizeGreaterThan(10);
		List<Class<?>> holdingSecrets = records.stream().filter(CredentialRecordsTests::holdsASecret).toList();
		assertThat(holdingSecrets).extracting(Class::getSimpleName)
			.contains("Credentials", "ConnectionSettings", "SentinelUrl");
		for (Class<?> type : holdingSecrets) {
			assertThat(Arrays.stream(type.getDeclaredMethods())
				.anyMatch((method) -> method.getName().equals("toString") && method.getParameterCount() == 0))
				.as(type.getName() + " declares toString").isTrue();
		}
	}

	@Test
	void credentialsPrintNoPassword() {
		assertThat(new Credentials("app", "hunter2")).asString().doesNotContain("hunter2").contains("app");
	}

	private static boolean holdsASecret(Class<?> type) {
		for (RecordComponent component : type.getRecordComponents()) {
			String name = component.getName().toLowerCase(Locale.ROOT);
			if (component.getType() == String.class && (name.contains("password") || name.contains("secret"))) {
				return true;
			}
		}
		return false;
	}

	private static List<Class<?>> recordsOf(String basePackage) throws Exception {
		PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
		MetadataReaderFactory readers = new CachingMetadataReaderFactory(resolver);
		List<Class<?>> records = new ArrayList<>();
		for (Resource resource : resolver.getResources("classpath*:" + basePackage.replace('.', '/') + "/**/*.class")) {
			ClassMetadata metadata = readers.getMetadataReader(resource).getClassMetadata();
			if ("java.lang.Record".equals(metadata.getSuperClassName())) {
				records.add(ClassUtils.forName(metadata.getClassName(), CredentialRecordsTests.class.getClassLoader()));
			}
		}
		return records;
	}

}
