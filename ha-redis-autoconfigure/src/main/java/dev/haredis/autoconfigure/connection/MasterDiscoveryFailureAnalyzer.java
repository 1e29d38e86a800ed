package dev.haredis.autoconfigure.connection;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.haredis.topology.DiscoveryAttempt;
import dev.haredis.topology.DiscoveryAttempt.Problem;
import dev.haredis.topology.MasterDiscoveryException;

/**
 * Reports a {@link MasterDiscoveryException}: what each sentinel answered, and for each kind of problem the
 * properties or server settings to check.
 */
class MasterDiscoveryFailureAnalyzer extends AbstractFailureAnalyzer<MasterDiscoveryException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MasterDiscoveryException cause) {
		String description = "No usable Redis master '" + cause.getMasterName() + "' could be found through the "
				+ "sentinels (ha.redis.sentinel.nodes):\n" + cause.getAttempts()
					.stream()
					.map((attempt) -> "    - " + attempt)
					.collect(Collectors.joining("\n"));
		Set<Problem> problems = EnumSet.noneOf(Problem.class);
		cause.getAttempts().forEach((attempt) -> problems.add(attempt.problem()));
		String action = problems.stream()
			.map((problem) -> advice(problem, cause))
			.collect(Collectors.joining("\n"));
		if (problems.contains(Problem.SENTINEL_REFUSED) || problems.contains(Problem.SENTINEL_TIMEOUT)
				|| problems.contains(Problem.MASTER_UNREACHABLE)) {
			action += "\nTo start anyway and connect once Redis is reachable, set ha.redis.fail-fast=false.";
		}
		return new FailureAnalysis(description, action, cause);
	}

	private static String advice(Problem problem, MasterDiscoveryException cause) {
		return switch (problem) {
			case SENTINEL_REFUSED -> "Nothing listens at " + sentinels(cause, problem) + ": check that the sentinels "
					+ "run and that ha.redis.sentinel.nodes (or ha.redis.url) lists their host:port; sentinels "
					+ "usually listen on 26379, not on the data port 6379.";
			case SENTINEL_TIMEOUT -> sentinels(cause, problem) + " did not answer within ha.redis.sentinel.timeout: "
					+ "check firewalls between this host and the sentinels, or raise ha.redis.sentinel.timeout.";
			case TLS -> tlsAdvice(cause);
			case TLS_HOST_MISMATCH -> hostMismatchAdvice(cause);
			case SENTINEL_AUTHENTICATION -> "The sentinels rejected ha.redis.sentinel.username and "
					+ "ha.redis.sentinel.password. These are the sentinels' own credentials ('requirepass' or ACL "
					+ "users in sentinel.conf), separate from the data nodes' ha.redis.password.";
			case MASTER_UNKNOWN -> "Set ha.redis.sentinel.master to the name in the sentinels' 'sentinel monitor' "
					+ "line; '" + cause.getMasterName() + "' is unknown to them."
					+ (cause.getKnownMasterNames().isEmpty() ? ""
							: " They monitor: " + cause.getKnownMasterNames()
								.stream()
								.map((name) -> "'" + name + "'")
								.collect(Collectors.joining(", ")) + ".");
			case MASTER_UNREACHABLE -> "The sentinels name a master address this host cannot reach. "
					+ MasterDiscoveryException.UNREACHABLE_MASTER_ADVICE;
			case DATA_AUTHENTICATION -> "The master rejected ha.redis.username and ha.redis.password. These are "
					+ "the data nodes' credentials ('requirepass'/'masterauth' or ACL users in redis.conf), not the "
					+ "sentinels' (ha.redis.sentinel.password).";
			case NOT_A_MASTER -> "A sentinel named a server that does not report the master role: a failover may be "
					+ "in progress, or that sentinel is stale. Compare 'SENTINEL GET-MASTER-ADDR-BY-NAME "
					+ cause.getMasterName() + "' across the sentinels; reset a stale one with 'SENTINEL RESET "
					+ cause.getMasterName() + "'.";
			case DATABASE_OUT_OF_RANGE -> "Lower ha.redis.database: the servers have fewer databases (the "
					+ "'databases' setting in redis.conf, 16 by default, numbered from 0).";
			case OTHER -> "See the errors above.";
		};
	}

	private static String tlsAdvice(MasterDiscoveryException cause) {
		List<String> advice = new ArrayList<>();
		if (hasSide(cause, Problem.TLS, true)) {
			advice.add("TLS failed between this host and the sentinels " + failingSentinels(cause, Problem.TLS)
					+ ". They use ha.redis.ssl.* unless ha.redis.sentinel.ssl.* is set. If they serve TLS ('tls-port' "
					+ "in sentinel.conf), set ha.redis.ssl.enabled=true (or ha.redis.sentinel.ssl.enabled=true for "
					+ "them alone) and an SSL bundle that trusts their CA: ha.redis.ssl.bundle, or "
					+ "ha.redis.sentinel.ssl.bundle for a bundle of their own "
					+ "(spring.ssl.bundle.pem.<name>.truststore.certificate). If they serve plain text while the data "
					+ "nodes use TLS, set ha.redis.sentinel.ssl.enabled=false.");
		}
		if (hasSide(cause, Problem.TLS, false)) {
			advice.add("TLS failed between this host and the master the sentinels name. If the data nodes serve TLS "
					+ "('tls-port' in redis.conf), set ha.redis.ssl.enabled=true and ha.redis.ssl.bundle to an SSL "
					+ "bundle that trusts their CA (spring.ssl.bundle.pem.<name>.truststore.certificate); if they do "
					+ "not, turn TLS off for them (ha.redis.ssl.*) and keep it for the sentinels with "
					+ "ha.redis.sentinel.ssl.*.");
		}
		return String.join("\n", advice);
	}

	private static String hostMismatchAdvice(MasterDiscoveryException cause) {
		String verification = " Host name verification stays on: without it, any certificate of the same CA "
				+ "would do.";
		List<String> advice = new ArrayList<>();
		if (hasSide(cause, Problem.TLS_HOST_MISMATCH, true)) {
			advice.add("The TLS certificates of the sentinels " + failingSentinels(cause, Problem.TLS_HOST_MISMATCH)
					+ " do not name the host this application connects to them by (ha.redis.sentinel.nodes or "
					+ "ha.redis.url). Give them certificates whose subject alternative names cover that host name or "
					+ "IP address, or list the sentinels under a name their certificates cover." + verification);
		}
		if (hasSide(cause, Problem.TLS_HOST_MISMATCH, false)) {
			advice.add("The TLS certificate of the master the sentinels name does not name the host they announce "
					+ "it by. Give the data nodes certificates whose subject alternative names cover the addresses "
					+ "the sentinels announce (IP addresses, unless the servers announce host names with "
					+ "'replica-announce-ip' and the sentinels have 'sentinel resolve-hostnames yes' and 'sentinel "
					+ "announce-hostnames yes'), or map each announced address to a name the certificate covers with "
					+ "ha.redis.sentinel.address-map." + verification);
		}
		return String.join("\n", advice);
	}

	private static boolean hasSide(MasterDiscoveryException cause, Problem problem, boolean sentinelSide) {
		return cause.getAttempts()
			.stream()
			.anyMatch((attempt) -> attempt.problem() == problem && attempt.sentinelSide() == sentinelSide);
	}

	/**
	 * The sentinels that failed themselves with a problem, not through the master they named.
	 */
	private static String failingSentinels(MasterDiscoveryException cause, Problem problem) {
		return cause.getAttempts()
			.stream()
			.filter((attempt) -> attempt.problem() == problem && attempt.sentinelSide())
			.map((attempt) -> attempt.sentinel().toString())
			.collect(Collectors.joining(", "));
	}

	private static String sentinels(MasterDiscoveryException cause, Problem problem) {
		List<String> nodes = cause.getAttempts()
			.stream()
			.filter((attempt) -> attempt.problem() == problem)
			.map(DiscoveryAttempt::sentinel)
			.map(Object::toString)
			.toList();
		return String.join(", ", nodes);
	}

}
