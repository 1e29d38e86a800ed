package dev.haredis.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code redis-server} executable used to start servers and sentinels: the one named by the
 * {@value #ENVIRONMENT_VARIABLE} environment variable (or the {@value #SYSTEM_PROPERTY} system property),
 * otherwise the Redis 6.2 binary shipped inside the {@code com.github.codemonstur:embedded-redis} jar, so that a
 * fresh machine needs nothing installed.
 *
 * @param path the executable
 */
public record RedisServerBinary(Path path) {

	/** Environment variable naming a {@code redis-server} executable to use instead of the bundled one. */
	public static final String ENVIRONMENT_VARIABLE = "HA_REDIS_SERVER_BINARY";

	/** System property naming a {@code redis-server} executable; wins over the environment variable. */
	public static final String SYSTEM_PROPERTY = "ha.redis.server-binary";

	/**
	 * Locate the binary to use.
	 * @return the binary
	 */
	public static RedisServerBinary locate() {
		String configured = System.getProperty(SYSTEM_PROPERTY, System.getenv(ENVIRONMENT_VARIABLE));
		if (configured != null && !configured.isBlank()) {
			Path path = Path.of(configured);
			if (!Files.isExecutable(path)) {
				throw new IllegalStateException(ENVIRONMENT_VARIABLE + " names '" + configured
						+ "', which is not an executable file");
			}
			return new RedisServerBinary(path);
		}
		return extractBundled();
	}

	private static synchronized RedisServerBinary extractBundled() {
		String resource = bundledResourceName();
		Path target = Path.of(System.getProperty("java.io.tmpdir"), "ha-redis-" + System.getProperty("user.name"),
				resource);
		try (InputStream in = RedisServerBinary.class.getResourceAsStream("/" + resource)) {
			if (in == null) {
				throw new IllegalStateException("No bundled redis-server for this platform (" + resource
						+ "); set " + ENVIRONMENT_VARIABLE + " to a redis-server executable");
			}
			byte[] bytes = in.readAllBytes();
			if (!Files.exists(target) || Files.size(target) != bytes.length) {
				Files.createDirectories(target.getParent());
				Path temporary = Files.createTempFile(target.getParent(), "redis-server", ".tmp");
				Files.write(temporary, bytes);
				temporary.toFile().setExecutable(true, true);
				Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			return new RedisServerBinary(target);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not extract the bundled redis-server to " + target, ex);
		}
	}

	private static String bundledResourceName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		boolean arm = arch.contains("aarch64") || arch.contains("arm64");
		if (os.contains("mac")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		if (arm) {
			return "redis-server-6.2.7-linux-arm64";
		}
		return "redis-server-6.2.6-v5-linux-amd64";
	}

	/**
	 * Return what {@code redis-server --version} prints, for example {@code Redis server v=6.2.11 ...}.
	 * @return the version line
	 */
	public String version() {
		try {
			Process process = new ProcessBuilder(this.path.toString(), "--version").redirectErrorStream(true).start();
			try (InputStream in = process.getInputStream()) {
				String output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
				process.waitFor(10, TimeUnit.SECONDS);
				return output;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
