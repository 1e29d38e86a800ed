package dev.haredis.drill;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.ClassUtils;

/**
 * One client of {@link ThroughputComparison}, run in a JVM of its own with the class path of its variant (with or
 * without actuator, with or without ha-redis). It starts {@link DrillApplication} with the properties given as
 * arguments, says what it found on its class path and in its context, then measures on request: {@code threads}
 * threads each doing {@code SET} then {@code GET} on their own keys as fast as they can.
 * <p>
 * It also times its own start-up, from the JVM's start ({@code RuntimeMXBean.getStartTime()}) to the application
 * context being ready ({@code SpringApplication.run} returned) and to the first acknowledged {@code SET}, and reports
 * both with {@code READY}.
 * <p>
 * It talks to the parent on standard input and output; its own lines start with {@value #PREFIX} (Spring Boot's
 * console log also goes to standard output): {@code RUN <millis>} answers {@code OPS <commands per second>},
 * {@code METERS} answers the Lettuce command meters, if any, and {@code QUIT} closes the context. It references no
 * ha-redis class, so it also runs where ha-redis is not on the class path.
 */
public final class ThroughputClient {

	static final String PREFIX = "@@ ";

	/** Starts the start-up times in the {@code READY} line: {@code startup-ms=context-ready=<ms>,first-write=<ms>}. */
	static final String STARTUP = "startup-ms=";

	private static final Duration JOIN_SLACK = Duration.ofSeconds(30);

	private ThroughputClient() {
	}

	public static void main(String[] args) throws Exception {
		String name = args[0];
		int threads = Integer.parseInt(args[1]);
		PrintStream out = System.out;
		List<String> properties = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
		properties.add(0, "logging.level.root=WARN");
		properties.add("spring.main.register-shutdown-hook=false");
		// With --client-properties=drill.start-up-steps=true, the slowest start-up steps go to standard error.
		BufferingApplicationStartup steps = properties.contains("drill.start-up-steps=true")
				? new BufferingApplicationStartup(50_000) : null;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DrillApplication.class)
			.applicationStartup((steps != null) ? steps : ApplicationStartup.DEFAULT)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(properties.toArray(String[]::new))
			.run()) {
			long ready = System.currentTimeMillis();
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("drill:throughput:probe:" + name, "v");
			long firstWrite = System.currentTimeMillis();
			long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
			out.println(PREFIX + "READY " + describe(context) + " " + STARTUP + "context-ready=" + (ready - jvmStart)
					+ ",first-write=" + (firstWrite - jvmStart));
			if (steps != null) {
				printSlowestSteps(steps);
			}
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			for (String line = in.readLine(); line != null && !line.equals("QUIT"); line = in.readLine()) {
				if (line.startsWith("RUN ")) {
					Duration duration = Duration.ofMillis(Long.parseLong(line.substring(4).strip()));
					out.println(PREFIX + "OPS " + String.format(Locale.ROOT, "%.1f",
							commandsPerSecond(template, name, threads, duration)));
				}
				else if (line.equals("METERS")) {
					out.println(PREFIX + "METERS " + lettuceMeters(context));
				}
			}
		}
		System.exit(0);
	}

	/** The slowest steps by their own time (their duration less that of the steps they contain). */
	private static void printSlowestSteps(BufferingApplicationStartup steps) {
		List<StartupTimeline.TimelineEvent> events = steps.getBufferedTimeline().getEvents();
		Map<Long, Duration> own = new HashMap<>();
		events.forEach((event) -> own.merge(event.getStartupStep().getId(), event.getDuration(), Duration::plus));
		events.forEach((event) -> {
			Long parent = event.getStartupStep().getParentId();
			if (parent != null) {
				own.merge(parent, event.getDuration().negated(), Duration::plus);
			}
		});
		events.stream()
			.sorted(Comparator.comparing((StartupTimeline.TimelineEvent event) -> own.get(event.getStartupStep().getId()))
				.reversed())
			.limit(40)
			.forEach((event) -> {
				StringBuilder tags = new StringBuilder();
				event.getStartupStep().getTags().forEach((tag) -> tags.append(' ').append(tag.getValue()));
				System.err.printf(Locale.ROOT, "step %6d ms own, %6d ms in all: %s%s%n",
						own.get(event.getStartupStep().getId()).toMillis(), event.getDuration().toMillis(),
						event.getStartupStep().getName(), tags);
			});
	}

	/**
	 * What differs between the variants, as seen from inside: checked by the parent, so a variant that does not get
	 * the class path it is named after fails the run instead of measuring the wrong thing.
	 */
	private static String describe(ConfigurableApplicationContext context) {
		return "actuator=" + present("org.springframework.boot.actuate.endpoint.annotation.Endpoint")
				+ " micrometer-core=" + present("io.micrometer.core.instrument.MeterRegistry")
				+ " ha-redis=" + present("dev.haredis.topology.SentinelTopology")
				+ " observation-registry-bean=" + hasBean(context, "io.micrometer.observation.ObservationRegistry")
				+ " lettuce-observation=" + context.containsBean("lettuceObservation")
				+ " connection-factory=" + context.getBean("redisConnectionFactory").getClass().getSimpleName();
	}

	private static boolean present(String className) {
		return ClassUtils.isPresent(className, ThroughputClient.class.getClassLoader());
	}

	private static boolean hasBean(ConfigurableApplicationContext context, String className) {
		if (!present(className)) {
			return false;
		}
		return context.getBeanNamesForType(ClassUtils.resolveClassName(className, null)).length > 0;
	}

	/** The meters Micrometer's observation handler made of Lettuce's command observations, with their counts. */
	private static String lettuceMeters(ConfigurableApplicationContext context) {
		// Micrometer types only in a nested class, loaded only where Micrometer is on the class path.
		return hasBean(context, "io.micrometer.core.instrument.MeterRegistry") ? LettuceMeters.describe(context)
				: "none (no MeterRegistry)";
	}

	static double commandsPerSecond(StringRedisTemplate template, String name, int threads, Duration duration)
			throws InterruptedException {
		AtomicLong commands = new AtomicLong();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			String prefix = "drill:throughput:" + name + ":" + i + ":";
			Thread worker = new Thread(() -> {
				for (long n = 0; System.nanoTime() < deadline; n++) {
					String key = prefix + (n % 1000);
					template.opsForValue().set(key, "v");
					template.opsForValue().get(key);
					commands.addAndGet(2);
				}
			}, "throughput-" + i);
			workers.add(worker);
			worker.start();
		}
		for (Thread worker : workers) {
			worker.join(duration.plus(JOIN_SLACK).toMillis());
		}
		return commands.get() / ((System.nanoTime() - start) / 1e9);
	}

	private static final class LettuceMeters {

		static String describe(ConfigurableApplicationContext context) {
			Map<String, Long> counts = new TreeMap<>();
			context.getBean(MeterRegistry.class)
				.find("lettuce")
				.timers()
				.forEach((timer) -> counts.merge(String.valueOf(timer.getId().getTag("db.operation")), timer.count(),
						Long::sum));
			return counts.isEmpty() ? "none" : "lettuce timer counts by db.operation " + counts;
		}

	}

}
