package dev.haredis.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The iptables side of {@link LoopbackPartitions}: adding and deleting rules, each tagged with this JVM's
 * {@link #COMMENT}, removing what a JVM that no longer runs left behind (rules and cgroups), and where the cgroup v2
 * hierarchy is mounted.
 */
final class LoopbackRules {

	/** The comment on every rule this JVM adds: {@code ha-redis-test-<pid>}. */
	static final String COMMENT = "ha-redis-test-" + ProcessHandle.current().pid();

	private LoopbackRules() {
	}

	static void append(List<String> rule) {
		iptables(withComment("-A", rule), true);
	}

	static void delete(List<String> rule) {
		iptables(withComment("-D", rule), false);
	}

	private static List<String> withComment(String action, List<String> rule) {
		List<String> arguments = new ArrayList<>();
		int chain = rule.indexOf("OUTPUT");
		arguments.addAll(rule.subList(0, chain));
		arguments.add(action);
		arguments.addAll(rule.subList(chain, rule.size()));
		int target = arguments.indexOf("-j");
		arguments.addAll(target, List.of("-m", "comment", "--comment", COMMENT));
		return arguments;
	}

	private static String iptables(List<String> arguments, boolean required) {
		return Iptables.run(List.of(), arguments, required);
	}

	static void removeLeftovers() {
		for (String table : List.of("filter", "mangle")) {
			for (String line : iptables(List.of("-t", table, "-S", "OUTPUT"), true).split("\n")) {
				int at = line.indexOf("ha-redis-test-");
				if (!line.startsWith("-A OUTPUT") || at < 0) {
					continue;
				}
				String pid = line.substring(at + "ha-redis-test-".length()).split("[^0-9]")[0];
				if (!pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
					List<String> rule = new ArrayList<>(List.of("-t", table, "-D"));
					rule.addAll(List.of(line.substring(3).replace("\"", "").split(" ")));
					iptables(rule, false);
				}
			}
		}
		try (var entries = Files.list(cgroupRoot())) {
			entries.filter((entry) -> entry.getFileName().toString().startsWith("ha-redis-test-"))
				.filter((entry) -> ProcessHandle
					.of(Long.parseLong(entry.getFileName().toString().split("-")[3]))
					.isEmpty())
				.forEach((entry) -> {
					try (var children = Files.list(entry)) {
						children.filter(Files::isDirectory).forEach(LoopbackPartitions::rmdir);
					}
					catch (IOException ex) {
						// Not ours to worry about: a later run tries again.
					}
					LoopbackPartitions.rmdir(entry);
				});
		}
		catch (IOException ex) {
			// Nothing left to remove, or not readable: the new rules do not depend on it.
		}
	}

	static Path cgroupRoot() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
				String[] fields = line.split(" ");
				if (fields.length > 2 && fields[2].equals("cgroup2")) {
					return Path.of(fields[1]);
				}
			}
		}
		catch (IOException ex) {
			// Reported by the probe.
		}
		throw new IllegalStateException("No cgroup v2 hierarchy is mounted");
	}

}
