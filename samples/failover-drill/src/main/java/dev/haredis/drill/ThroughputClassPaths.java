package dev.haredis.drill;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.haredis.drill.ThroughputComparison.Variant;

/**
 * The class paths the build wrote: {@code runtime.txt} (the drill's runtime class path, without actuator) and
 * {@code actuator.txt} (what {@code spring-boot-starter-actuator} adds), next to the drill's classes.
 */
record ThroughputClassPaths(Path directory, List<String> runtime, List<String> actuator, String classes) {

	static ThroughputClassPaths locate(String directory) throws IOException {
		Path dir = (directory != null) ? Path.of(directory) : defaultDirectory();
		Path runtime = dir.resolve("runtime.txt");
		if (!Files.isRegularFile(runtime)) {
			throw new IllegalStateException("No class path file at " + runtime.toAbsolutePath() + ": build the "
					+ "drill first (./mvnw -q -pl samples/failover-drill -am -DskipTests package) or name the "
					+ "directory with --classpath-dir");
		}
		return new ThroughputClassPaths(dir, read(runtime), read(dir.resolve("actuator.txt")),
				dir.resolveSibling("classes").toAbsolutePath().toString());
	}

	private static Path defaultDirectory() {
		// Run as java -jar target/failover-drill-*.jar: the class path is that jar, next to the files.
		Path jar = Path.of(System.getProperty("java.class.path").split(File.pathSeparator)[0]);
		if (jar.toString().endsWith(".jar") && jar.toAbsolutePath().getParent() != null) {
			return jar.toAbsolutePath().getParent().resolve("throughput-classpath");
		}
		return Path.of("samples/failover-drill/target/throughput-classpath");
	}

	private static List<String> read(Path file) throws IOException {
		String content = Files.readString(file).strip();
		return content.isEmpty() ? List.of() : List.of(content.split(File.pathSeparator));
	}

	/** The same class path with other drill classes (the client's, so that every variant runs the same client). */
	ThroughputClassPaths withClasses(String classes) {
		return new ThroughputClassPaths(this.directory, this.runtime, this.actuator, classes);
	}

	String of(Variant variant) {
		Stream<String> entries = Stream.concat(Stream.of(this.classes), this.runtime.stream());
		if (variant.actuator()) {
			entries = Stream.concat(entries, this.actuator.stream());
		}
		if (!variant.haRedis()) {
			entries = entries.filter((entry) -> !isHaRedis(entry));
		}
		return entries.collect(Collectors.joining(File.pathSeparator));
	}

	private static boolean isHaRedis(String entry) {
		String normalized = entry.replace('\\', '/');
		return normalized.contains("ha-redis-autoconfigure") || normalized.contains("ha-redis-starter");
	}

}
