package dev.haredis.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code iptables} for the partitions: on this host's network namespace, or in another one through a command
 * prefix such as {@code nsenter -t <pid> -n}.
 */
public final class Iptables {

	private Iptables() {
	}

	/**
	 * Run {@code iptables -w 5} with the given arguments, waiting at most 10 s.
	 * @param prefix what runs it, such as {@code nsenter -t <pid> -n}, or nothing
	 * @param arguments the arguments after {@code -w 5}
	 * @param required whether a non-zero exit is an error (else, as for deleting a rule that may be gone, ignored)
	 * @return what it printed
	 * @throws IllegalStateException when it fails and was required, or takes too long
	 */
	public static String run(List<String> prefix, List<String> arguments, boolean required) {
		List<String> command = new ArrayList<>(prefix);
		command.addAll(List.of("iptables", "-w", "5"));
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " took longer than 10 s");
			}
			if (process.exitValue() != 0 && required) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(String.join(" ", command) + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(String.join(" ", command) + " interrupted", ex);
		}
	}

}
