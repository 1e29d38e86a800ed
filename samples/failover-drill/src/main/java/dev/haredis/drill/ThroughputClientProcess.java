package dev.haredis.drill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.haredis.drill.ThroughputComparison.StartUp;
import dev.haredis.drill.ThroughputComparison.Variant;

/** A running {@link ThroughputClient}. */
final class ThroughputClientProcess implements AutoCloseable {

	private final Variant variant;

	private final Process process;

	private final BufferedReader in;

	private final PrintWriter commands;

	private final PrintWriter log;

	private String description = "";

	ThroughputClientProcess(Variant variant, Process process, Path log) throws IOException {
		this.variant = variant;
		this.process = process;
		this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
		this.log = new PrintWriter(Files.newBufferedWriter(log), true);
	}

	void awaitReady() {
		this.description = answer("READY", ThroughputComparison.START_TIMEOUT);
		check("actuator=" + this.variant.actuator());
		check("micrometer-core=" + this.variant.actuator());
		check("ha-redis=" + this.variant.haRedis());
		boolean observed = this.variant.actuator() && !this.variant.properties().contains(ThroughputComparison.EXCLUDE_OBSERVATION);
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
