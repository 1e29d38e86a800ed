package dev.haredis.drill;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisServerBinary;

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

	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private static final String EXCLUDE_OBSERVATION = "spring.autoconfigure.exclude="
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

	private final ClassPaths classPaths;

	private final @Nullable ClassPaths otherClassPaths;

	private final int threads;

	private final Path logs;

	private final @Nullable Path jfr;

	private final List<String> clientProperties;

	private ThroughputComparison(LocalSentinelTopology topology, ClassPaths classPaths,
			@Nullable ClassPaths otherClassPaths, int threads, Path logs, @Nullable Path jfr,
			List<String> clientProperties) {
		this.topology = topology;
		this.classPaths = classPaths;
		this.otherClassPaths = otherClassPaths;
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
		ClassPaths classPaths = ClassPaths.locate(options.get("classpath-dir"));
		// Another build's ha-redis, for example the commit before a change, measured side by side with this one's.
		ClassPaths otherClassPaths = options.containsKey("compare-with")
				? ClassPaths.locate(options.get("compare-with")).withClasses(classPaths.classes()) : null;
		if (otherClassPaths != null) {
			List<Variant> withOthers = new ArrayList<>(variants);
			variants.stream().filter(Variant::haRedis).map(Variant::other).forEach(withOthers::add);
			variants = List.copyOf(withOthers);
		}
		Path report = Path.of(options.getOrDefault("report", "samples/failover-drill/target/throughput-report.md"));
		try (LocalSentinelTopology topology = LocalSentinelTopology.builder().start()) {
			Runtime.getRuntime().addShutdownHook(new Thread(topology::close));
			ThroughputComparison comparison = new ThroughputComparison(topology, classPaths, otherClassPaths, threads,
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
				try (Client client = start(variant, "-start-up-" + (i + 1), false)) {
					startUp = client.startUp();
				}
				startUpSamples.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(startUp);
				System.out.printf(Locale.ROOT, "start-up %d %-30s context ready %5d ms, first write %5d ms%n", i + 1,
						variant.name(), startUp.contextReadyMillis(), startUp.firstWriteMillis());
			}
		}
		Map<Variant, Client> clients = new LinkedHashMap<>();
		try {
			for (Variant variant : variants) {
				clients.put(variant, start(variant, "", this.jfr != null));
			}
			for (Client client : clients.values()) {
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
			clients.forEach((variant, client) -> meters.put(variant, client.meters()));
			return report(variants, runs, run, warmUp, samples, clients, meters, startUpSamples);
		}
		finally {
			clients.values().forEach(Client::close);
		}
	}

	private Client start(Variant variant, String logSuffix, boolean record) throws IOException {
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
		command.add((variant.isOther() && this.otherClassPaths != null) ? this.otherClassPaths.of(variant)
				: this.classPaths.of(variant));
		command.add(ThroughputClient.class.getName());
		command.add(variant.name());
		command.add(Integer.toString(this.threads));
		command.addAll(properties);
		Process process = new ProcessBuilder(command)
			.redirectError(this.logs.resolve(variant.name() + logSuffix + ".err.log").toFile())
			.start();
		Client client = new Client(variant, process, this.logs.resolve(variant.name() + logSuffix + ".out.log"));
		client.awaitReady();
		return client;
	}

	private String report(List<Variant> variants, int runs, Duration run, Duration warmUp,
			Map<Variant, List<Double>> samples, Map<Variant, Client> clients, Map<Variant, String> meters,
			Map<Variant, List<StartUp>> startUps) {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"Throughput, %s: Redis `%s`, %d cores, Java %s, %d threads per client each doing `SET` then `GET` "
						+ "(every command counted), a %d s warm-up per client, then %d runs of %d s, the variants "
						+ "taking turns (order rotated every run). One JVM per variant (%s).%n%n",
				Instant.now(), RedisServerBinary.locate().version(), Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.version"), this.threads, warmUp.toSeconds(), runs, run.toSeconds(),
				String.join(" ", JVM_OPTIONS)));
		out.append("| variant | what is on the class path | median (commands/s) | × boot-lean | runs |\n");
		out.append("|---|---|---:|---:|---|\n");
		Variant baseline = find(variants, "boot-lean");
		for (Variant variant : variants) {
			List<Double> values = samples.get(variant);
			out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %s | %s |%n", variant.name(),
					variant.description(), DrillReport.median(values),
					(baseline != null) ? ratio(DrillReport.median(values), DrillReport.median(samples.get(baseline)))
							: "",
					values.stream().map((v) -> String.format(Locale.ROOT, "%.0f", v)).toList()));
		}
		out.append("\n| comparison | ratio of the medians | median of the per-run ratios | per-run ratios |\n"
				+ "|---|---:|---:|---|\n");
		comparison(out, variants, samples, "ha-redis-lean", "boot-lean", "(target ≥ 0.97)");
		comparison(out, variants, samples, "ha-redis-actuator", "boot-actuator", "");
		comparison(out, variants, samples, "boot-actuator", "boot-lean", "(the cost of command observations)");
		comparison(out, variants, samples, "ha-redis-actuator", "ha-redis-lean", "");
		comparison(out, variants, samples, "ha-redis-actuator-unobserved", "ha-redis-lean", "");
		for (Variant variant : variants) {
			if (variant.isOther()) {
				comparison(out, variants, samples, variant.name(), "boot-lean", "");
				comparison(out, variants, samples, variant.name().substring(0, variant.name().length() - OTHER.length()),
						variant.name(), "(this build / the other)");
			}
		}
		if (!startUps.isEmpty()) {
			out.append(String.format(Locale.ROOT, "%nStart-up, %d starts per variant (interleaved, one JVM at a time), "
					+ "milliseconds from the JVM's start:%n%n", startUps.values().iterator().next().size()));
			out.append("| variant | context ready (median) | first acknowledged `SET` (median) | first `SET` per start |\n");
			out.append("|---|---:|---:|---|\n");
			startUps.forEach((variant, values) -> out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %s |%n",
					variant.name(),
					DrillReport.median(values.stream().map((v) -> (double) v.contextReadyMillis()).toList()),
					DrillReport.median(values.stream().map((v) -> (double) v.firstWriteMillis()).toList()),
					values.stream().map(StartUp::firstWriteMillis).toList())));
		}
		out.append("\nWhat each client found (checked before measuring):\n\n");
		clients.forEach((variant, client) -> out.append("- ").append(variant.name()).append(": ")
			.append(client.description()).append("; Lettuce command meters: ").append(meters.get(variant))
			.append('\n'));
		return out.toString();
	}

	private static void comparison(StringBuilder out, List<Variant> variants, Map<Variant, List<Double>> samples,
			String name, String baselineName, String note) {
		Variant variant = find(variants, name);
		Variant baseline = find(variants, baselineName);
		if (variant == null || baseline == null) {
			return;
		}
		List<Double> values = samples.get(variant);
		List<Double> baselineValues = samples.get(baseline);
		List<Double> paired = new ArrayList<>();
		for (int i = 0; i < Math.min(values.size(), baselineValues.size()); i++) {
			paired.add(values.get(i) / baselineValues.get(i));
		}
		out.append(String.format(Locale.ROOT, "| %s / %s %s | %s | %s | %s |%n", name, baselineName, note,
				ratio(DrillReport.median(values), DrillReport.median(baselineValues)),
				String.format(Locale.ROOT, "%.3f", DrillReport.median(paired)),
				paired.stream().map((r) -> String.format(Locale.ROOT, "%.3f", r)).toList()));
	}

	private static String ratio(double value, double baseline) {
		return String.format(Locale.ROOT, "%.3f", value / baseline);
	}

	private static Variant find(List<Variant> variants, String name) {
		return variants.stream().filter((variant) -> variant.name().equals(name)).findFirst().orElse(null);
	}

	/**
	 * The class paths the build wrote: {@code runtime.txt} (the drill's runtime class path, without actuator) and
	 * {@code actuator.txt} (what {@code spring-boot-starter-actuator} adds), next to the drill's classes.
	 */
	record ClassPaths(Path directory, List<String> runtime, List<String> actuator, String classes) {

		static ClassPaths locate(String directory) throws IOException {
			Path dir = (directory != null) ? Path.of(directory) : defaultDirectory();
			Path runtime = dir.resolve("runtime.txt");
			if (!Files.isRegularFile(runtime)) {
				throw new IllegalStateException("No class path file at " + runtime.toAbsolutePath() + ": build the "
						+ "drill first (./mvnw -q -pl samples/failover-drill -am -DskipTests package) or name the "
						+ "directory with --classpath-dir");
			}
			return new ClassPaths(dir, read(runtime), read(dir.resolve("actuator.txt")),
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
		ClassPaths withClasses(String classes) {
			return new ClassPaths(this.directory, this.runtime, this.actuator, classes);
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

	/** A running {@link ThroughputClient}. */
	private static final class Client implements AutoCloseable {

		private final Variant variant;

		private final Process process;

		private final BufferedReader in;

		private final PrintWriter commands;

		private final PrintWriter log;

		private String description = "";

		Client(Variant variant, Process process, Path log) throws IOException {
			this.variant = variant;
			this.process = process;
			this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
			this.log = new PrintWriter(Files.newBufferedWriter(log), true);
		}

		void awaitReady() {
			this.description = answer("READY", START_TIMEOUT);
			check("actuator=" + this.variant.actuator());
			check("micrometer-core=" + this.variant.actuator());
			check("ha-redis=" + this.variant.haRedis());
			boolean observed = this.variant.actuator() && !this.variant.properties().contains(EXCLUDE_OBSERVATION);
			check("lettuce-observation=" + observed);
		}

		private void check(String expected) {
			if (!Arrays.asList(this.description.split(" ")).contains(expected)) {
				throw new IllegalStateException(this.variant.name() + " should have " + expected + " but reports: "
						+ this.description);
			}
		}

		String description() {
			return this.description;
		}

		StartUp startUp() {
			return StartUp.parse(this.description);
		}

		double measure(Duration duration) {
			this.commands.println("RUN " + duration.toMillis());
			return Double.parseDouble(answer("OPS", duration.plusSeconds(60)));
		}

		String meters() {
			this.commands.println("METERS");
			return answer("METERS", Duration.ofSeconds(30));
		}

		private String answer(String keyword, Duration timeout) {
			String prefix = ThroughputClient.PREFIX + keyword;
			long deadline = System.nanoTime() + timeout.toNanos();
			// A client that neither answers nor exits is stopped, which ends the read below.
			CompletableFuture<Void> watchdog = CompletableFuture.runAsync(this.process::destroyForcibly,
					CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
			try {
				while (System.nanoTime() < deadline) {
					String line = this.in.readLine();
					if (line == null) {
						throw new IllegalStateException(this.variant.name() + " exited (" + exitCode()
								+ "); see its logs in target/throughput-logs");
					}
					if (line.startsWith(prefix)) {
						return line.substring(prefix.length()).strip();
					}
					this.log.println(line);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			finally {
				watchdog.cancel(false);
			}
			throw new IllegalStateException(this.variant.name() + " did not answer " + keyword + " in " + timeout);
		}

		private String exitCode() {
			try {
				return this.process.waitFor(5, TimeUnit.SECONDS)
						? "exit code " + this.process.exitValue() : "still running";
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "interrupted";
			}
		}

		@Override
		public void close() {
			this.commands.println("QUIT");
			try {
				if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
			}
			this.log.close();
		}

	}

}
