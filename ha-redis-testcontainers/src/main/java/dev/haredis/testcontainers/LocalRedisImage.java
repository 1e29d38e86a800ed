package dev.haredis.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

import dev.haredis.test.RedisServerBinary;

/**
 * A Redis image built on this machine, for Docker engines that reach no image registry: a {@code FROM scratch}
 * image holding a local {@code redis-server} executable and the shared libraries it links ({@code ldd} tells
 * which). By default the executable is the one {@link RedisServerBinary#locate()} finds ({@code
 * HA_REDIS_SERVER_BINARY}, else the Redis 6.2 shipped in a Maven Central jar). Linux only.
 */
public final class LocalRedisImage {

	/** The repository the image is tagged in. */
	public static final String REPOSITORY = "ha-redis/redis-server";

	private static final Pattern LIBRARY = Pattern.compile("(/\\S+)\\s+\\(0x[0-9a-f]+\\)");

	private LocalRedisImage() {
	}

	/**
	 * Build (or reuse) the image for the executable {@link RedisServerBinary#locate()} finds.
	 * @return the image name, to pass to {@link RedisSentinelContainer}
	 */
	public static DockerImageName build() {
		return build(RedisServerBinary.locate().path());
	}

	/**
	 * Build the image where that is possible (Linux), else use an image from a registry: for tests that must run
	 * both on machines without a registry and on developers' Macs.
	 * @param registryImage the image to use elsewhere, such as {@code redis:7.4}
	 * @return the image name
	 */
	public static DockerImageName buildOnLinuxOr(String registryImage) {
		return isLinux() ? build() : DockerImageName.parse(registryImage);
	}

	/**
	 * Build (or reuse) the image for a {@code redis-server} executable.
	 * @param redisServer the executable
	 * @return the image name
	 */
	public static DockerImageName build(Path redisServer) {
		Path executable = redisServer.toAbsolutePath();
		String tag = "local-" + Integer.toHexString(executable.toString().hashCode());
		String name = REPOSITORY + ":" + tag;
		// deleteOnExit=false: the image is a few MB and is reused by every test run on this machine.
		ImageFromDockerfile image = new ImageFromDockerfile(name, false)
			.withFileFromPath("usr/local/bin/redis-server", executable);
		List<String> files = new ArrayList<>();
		files.add("usr/local/bin/redis-server");
		for (String library : linkedLibraries(executable)) {
			String inImage = library.substring(1);
			image.withFileFromPath(inImage, realPath(library));
			files.add(inImage);
		}
		StringBuilder dockerfile = new StringBuilder("FROM scratch\n");
		for (String file : files) {
			dockerfile.append("COPY ").append(file).append(" /").append(file).append('\n');
		}
		dockerfile.append("ENV PATH=/usr/local/bin\nWORKDIR /data\nENTRYPOINT [\"redis-server\"]\n");
		image.withFileFromString("Dockerfile", dockerfile.toString());
		image.get();
		return DockerImageName.parse(name).asCompatibleSubstituteFor("redis");
	}

	/**
	 * The absolute paths of the shared libraries and the dynamic loader an executable needs, from {@code ldd}.
	 */
	static Set<String> linkedLibraries(Path executable) {
		if (!isLinux()) {
			throw new IllegalStateException("A local Redis image can only be built on Linux; on other systems use "
					+ "an image from a registry, such as redis:7.4");
		}
		try {
			Process ldd = new ProcessBuilder("ldd", executable.toString()).redirectErrorStream(true).start();
			String output = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (output.contains("not a dynamic executable") || output.contains("statically linked")) {
				// A static build needs nothing beside it.
				return Set.of();
			}
			if (!ldd.waitFor(30, TimeUnit.SECONDS) || ldd.exitValue() != 0) {
				ldd.destroyForcibly();
				throw new IllegalStateException("'ldd " + executable + "' failed: " + output.strip());
			}
			return parseLdd(output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run 'ldd " + executable + "'", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running ldd", ex);
		}
	}

	static boolean isLinux() {
		return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
	}

	private static Path realPath(String library) {
		try {
			// The loader is usually a symbolic link; the image needs the file itself at the linked name.
			return Path.of(library).toRealPath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Library " + library + " named by ldd cannot be read", ex);
		}
	}

	static Set<String> parseLdd(String output) {
		List<String> missing = output.lines()
			.filter((line) -> line.contains("=> not found"))
			.map((line) -> line.substring(0, line.indexOf("=>")).strip())
			.toList();
		if (!missing.isEmpty()) {
			// Left out, the image would fail at its first start with a loader error that names no test.
			throw new IllegalStateException("The redis-server executable needs libraries this machine lacks: "
					+ String.join(", ", missing) + "; install them, or name another binary with HA_REDIS_SERVER_BINARY");
		}
		Set<String> libraries = new LinkedHashSet<>();
		Matcher matcher = LIBRARY.matcher(output);
		while (matcher.find()) {
			libraries.add(matcher.group(1));
		}
		return libraries;
	}

}
