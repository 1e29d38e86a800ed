package dev.haredis.autoconfigure.connection;

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
			case TLS -> "TLS failed between this host and the servers. If they serve TLS ('tls-port'), set "
					+ "ha.redis.ssl.enabled=true and ha.redis.ssl.bundle to an SSL bundle that trusts their CA "
					+ "(spring.ssl.bundle.pem.<name>.truststore.certificate); if they do not, turn TLS off.";
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
