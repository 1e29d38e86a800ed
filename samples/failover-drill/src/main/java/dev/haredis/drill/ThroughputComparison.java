package dev.haredis.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.haredis.test.LocalSentinelTopology;

/**
 * Steady-state throughput of plain Spring Boot and of ha-redis, each with and without actuator on the class path,
 * side by side in one run on one topology: every variant is a JVM of its own ({@link ThroughputClient}) whose class
 * path is the drill's runtime class path, minus ha-redis for the Spring Boot variants, plus
 * {@code spring-boot-starter-actuator} and what it brings for the actuator variants. The class path files are
 * written by the build ({@code target/throughput-classpath/}). The variants take turns, one at a time, the order
 * rotated every run; medians and ratios go to a Markdown report. Before that, each variant is started
 * {@code --start-ups} times (interleaved, one JVM at a time, each stopped once it has written): the medians of the
 * time from the JVM's start to the context being ready and to the first acknowledged {@code SET} go to the report.
 * <p>
 * Run: {@code java -jar samples/failover-drill/target/failover-drill-0.1.0-SNAPSHOT.jar --throughput}
 * ({@code --runs=9}, {@code --seconds=5}, {@code --warm-up-seconds=10}, {@code --threads=8}, {@code --start-ups=5},
 * {@code --variants=boot-lean,ha-redis-lean,...}, {@code --report=path}, {@code --jfr=dir} to record each
 * measuring client with Java Flight Recorder's {@code profile} settings into {@code dir/<variant>.jfr},
 * {@code --client-properties=a=1;b=2} for properties every client gets, for example log levels,
 * {@code --compare-with=<other checkout>/samples/failover-drill/target/throughput-classpath} to add, for every
 * ha-redis variant, one named {@code <variant>@other} with the ha-redis of that other build).
 */
final class ThroughputComparison {

	/** The JVM options of every client, the same for all. */
	static final List<String> JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m");

	static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	static final String EXCLUDE_OBSERVATION = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration";

	private static final String DISABLE_OBSERVATIONS = "management.observations.enable.lettuce=false";

	/**
	 * A client: which library, whether actuator is on its class path, and extra properties.
	 *
	 * @param name the name in the report and on the command line
	 * @param haRedis whether ha-redis is on the class path and configured
	 * @param actuator whether {@code spring-boot-starter-actuator} (and with it Micrometer) is on the class path
	 * @param properties extra properties
	 * @param description what the report says about it
	 */
	record Variant(String name, boolean haRedis, boolean actuator, List<String> properties, String description) {

		/** The same variant built from another checkout ({@code --compare-with}). */
		Variant other() {
			return new Variant(this.name + OTHER, this.haRedis, this.actuator, this.properties,
					this.description + ", ha-redis from the build named by `--compare-with`");
		}

		boolean isOther() {
			return this.name.endsWith(OTHER);
		}

	}

	/** The suffix of the variants whose ha-redis comes from the build named by {@code --compare-with}. */
	static final String OTHER = "@other";

	static final List<Variant> VARIANTS = List.of(
			new Variant("boot-lean", false, false, List.of(),
					"plain Spring Boot (`spring-boot-starter-data-redis`), no actuator, no ha-redis on the class path"),
			new Variant("ha-redis-lean", true, false, List.of(), "`ha-redis-starter`, no actuator"),
			new Variant("boot-actuator", false, true, List.of(),
					"plain Spring Boot with `spring-boot-starter-actuator`: every command observed"),
			new Variant("ha-redis-actuator", true, true, List.of(),
					"`ha-redis-starter` with `spring-boot-starter-actuator`: every command observed"),
			new Variant("ha-redis-actuator-unobserved", true, true, List.of(EXCLUDE_OBSERVATION),
					"`ha-redis-starter` with actuator, `LettuceObservationAutoConfiguration` excluded"),
			new Variant("ha-redis-actuator-predicate", true, true, List.of(DISABLE_OBSERVATIONS),
					"`ha-redis-starter` with actuator, `" + DISABLE_OBSERVATIONS + "`"));

	/** The variants run unless {@code --variants} names others. */
	static final List<String> DEFAULT_VARIANTS = List.of("boot-lean", "ha-redis-lean", "boot-actuator",
			"ha-redis-actuator", "ha-redis-actuator-unobserved");

	private final LocalSentinelTopology topology;

	private final ThroughputClassPaths classPaths;

	private final @Nullable ThroughputClassPaths otherThroughputClassPaths;

	private final int threads;

	private final Path logs;

	private final @Nullable Path jfr;

	private final List<String> clientProperties;

	private ThroughputComparison(LocalSentinelTopology topology, ThroughputClassPaths classPaths,
			@Nullable ThroughputClassPaths otherThroughputClassPaths, int threads, Path logs, @Nullable Path jfr,
			List<String> clientProperties) {
		this.topology = topology;
		this.classPaths = classPaths;
		this.otherThroughputClassPaths = otherThroughputClassPaths;
		this.threads = threads;
		this.logs = logs;
		this.jfr = jfr;
		this.clientProperties = clientProperties;
	}

	static void main(Map<String, String> options) throws Exception {
		int runs = Integer.parseInt(options.getOrDefault("runs", "9"));
		Duration run = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "5")));
		Duration warmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warm-up-seconds", "10")));
		int threads = Integer.parseInt(options.getOrDefault("threads", "8"));
		int startUps = Integer.parseInt(options.getOrDefault("start-ups", "5"));
		Path jfr = options.containsKey("jfr") ? Path.of(options.get("jfr")).toAbsolutePath() : null;
		List<String> clientProperties = Arrays.stream(options.getOrDefault("client-properties", "").split(";"))
			.map(String::strip)
			.filter((property) -> !property.isEmpty())
			.toList();
		List<String> names = Arrays.stream(options
			.getOrDefault("variants", String.join(",", DEFAULT_VARIANTS))
			.split(",")).map(String::strip).filter((name) -> !name.isEmpty()).toList();
		List<Variant> variants = names.stream()
			.map((name) -> VARIANTS.stream()
				.filter((variant) -> variant.name().equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("Unknown variant '" + name + "', known: "
						+ VARIANTS.stream().map(Variant::name).toList())))
			.toList();
		ThroughputClassPaths classPaths = ThroughputClassPaths.locate(options.get("classpath-dir"));
		// Another build's ha-redis, for example the commit before a change, measured side by side with this one's.
		ThroughputClassPaths otherThroughputClassPaths = options.containsKey("compare-with")
				? ThroughputClassPaths.locate(options.get("compare-with")).withClasses(classPaths.classes()) : null;
		if (otherThroughputClassPaths != null) {
			List<Variant> withOthers = new ArrayList<>(variants);
			variants.stream().filter(Variant::haRedis).map(Variant::other).forEach(withOthers::add);
			variants = List.copyOf(withOthers);
		}
		Path report = Path.of(options.getOrDefault("report", "samples/failover-drill/target/throughput-report.md"));
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().start()) {
			Runtime.getRuntime().addShutdownHook(new Thread(topology::close));
			ThroughputComparison comparison = new ThroughputComparison(topology, classPaths, otherThroughputClassPaths, threads,
					classPaths.directory().resolveSibling("throughput-logs"), jfr, clientProperties);
			String markdown = comparison.run(variants, runs, run, warmUp, startUps);
			System.out.println(markdown);
			Files.createDirectories(report.toAbsolutePath().getParent());
			Files.writeString(report, markdown);
			System.out.println("Report written to " + report.toAbsolutePath());
		}
	}

	private String run(List<Variant> variants, int runs, Duration run, Duration warmUp, int startUps)
			throws Exception {
		Files.createDirectories(this.logs);
		if (this.jfr != null) {
			Files.createDirectories(this.jfr);
		}
		Map<Variant, List<StartUp>> startUpSamples = new LinkedHashMap<>();
		for (int i = 0; i < startUps; i++) {
			List<Variant> order = new ArrayList<>(variants);
			Collections.rotate(order, -(i % variants.size()));
			for (Variant variant : order) {
				StartUp startUp;
				try (ThroughputClientProcess client = start(variant, "-start-up-" + (i + 1), false)) {
					startUp = client.startUp();
				}
				startUpSamples.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(startUp);
				System.out.printf(Locale.ROOT, "start-up %d %-30s context ready %5d ms, first write %5d ms%n", i + 1,
						variant.name(), startUp.contextReadyMillis(), startUp.firstWriteMillis());
			}
		}
		Map<Variant, ThroughputClientProcess> clients = new LinkedHashMap<>();
		try {
			for (Variant variant : variants) {
				clients.put(variant, start(variant, "", this.jfr != null));
			}
			for (ThroughputClientProcess client : clients.values()) {
				client.measure(warmUp);
			}
			Map<Variant, List<Double>> samples = new LinkedHashMap<>();
			for (int i = 0; i < runs; i++) {
				// Rotate the order every run, so that each variant is measured in every position equally often and
				// a drift of the machine does not favour one of them.
				List<Variant> order = new ArrayList<>(variants);
				Collections.rotate(order, -(i % variants.size()));
				for (Variant variant : order) {
					double rate = clients.get(variant).measure(run);
					samples.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(rate);
					System.out.printf(Locale.ROOT, "run %d %-30s %10.0f commands/s%n", i + 1, variant.name(), rate);
				}
			}
			Map<Variant, String> meters = new LinkedHashMap<>();
			Map<Variant, String> descriptions = new LinkedHashMap<>();
			clients.forEach((variant, client) -> {
				meters.put(variant, client.meters());
				descriptions.put(variant, client.description());
			});
			return ThroughputReport.write(variants, this.threads, runs, run, warmUp, samples, descriptions, meters,
					startUpSamples);
		}
		finally {
			clients.values().forEach(ThroughputClientProcess::close);
		}
	}

	private ThroughputClientProcess start(Variant variant, String logSuffix, boolean record) throws IOException {
		List<String> properties = new ArrayList<>();
		String master = this.topology.masterName();
		String nodes = this.topology.sentinelNodes();
		if (variant.haRedis()) {
			properties.add("ha.redis.sentinel.master=" + master);
			properties.add("ha.redis.sentinel.nodes=" + nodes);
		}
		else {
			properties.add("spring.data.redis.sentinel.master=" + master);
			properties.add("spring.data.redis.sentinel.nodes=" + nodes);
		}
		properties.addAll(variant.properties());
		properties.addAll(this.clientProperties);
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		if (record && this.jfr != null) {
			command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
					+ this.jfr.resolve(variant.name() + ".jfr"));
		}
		command.add("-cp");
		command.add((variant.isOther() && this.otherThroughputClassPaths != null) ? this.otherThroughputClassPaths.of(variant)
				: this.classPaths.of(variant));
		command.add(ThroughputClient.class.getName());
		command.add(variant.name());
		command.add(Integer.toString(this.threads));
		command.addAll(properties);
		Process process = new ProcessBuilder(command)
			.redirectError(this.logs.resolve(variant.name() + logSuffix + ".err.log").toFile())
			.start();
		ThroughputClientProcess client = new ThroughputClientProcess(variant, process, this.logs.resolve(variant.name() + logSuffix + ".out.log"));
		client.awaitReady();
		return client;
	}

	/**
	 * A client's start-up, from its JVM's start.
	 *
	 * @param contextReadyMillis until {@code SpringApplication.run} returned
	 * @param firstWriteMillis until the first {@code SET} was acknowledged
	 */
	record StartUp(long contextReadyMillis, long firstWriteMillis) {

		static StartUp parse(String description) {
			for (String token : description.split(" ")) {
				if (token.startsWith(ThroughputClient.STARTUP)) {
					Map<String, Long> values = new LinkedHashMap<>();
					for (String pair : token.substring(ThroughputClient.STARTUP.length()).split(",")) {
						String[] keyValue = pair.split("=");
						values.put(keyValue[0], Long.parseLong(keyValue[1]));
					}
					return new StartUp(values.get("context-ready"), values.get("first-write"));
				}
			}
			throw new IllegalStateException("No start-up times in " + description);
		}

	}

}
