package dev.haredis.topology;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when no sentinel named a master that could be used; carries what each sentinel answered.
 */
public class MasterDiscoveryException extends RuntimeException {

	/**
	 * What to do when the sentinels name a master this application cannot reach: the usual cause is Docker port
	 * mapping or NAT, where servers announce addresses that are only valid on their side.
	 */
	public static final String UNREACHABLE_MASTER_ADVICE = "If Redis runs behind Docker port mapping or NAT, the "
			+ "sentinels announce addresses only valid on their side: map each announced address to a reachable one "
			+ "with ha.redis.sentinel.address-map (in YAML: address-map: {\"[172.18.0.2:6379]\": "
			+ "\"redis.example.com:16379\"}), or make the servers announce reachable addresses "
			+ "('replica-announce-ip' / 'replica-announce-port' in redis.conf, 'sentinel announce-ip' / "
			+ "'sentinel announce-port' in sentinel.conf).";

	/**
	 * What to do about a sentinel the others announce under an address this application cannot reach.
	 */
	public static final String UNREACHABLE_SENTINEL_ADVICE = "if it is behind Docker port mapping or NAT, list it "
			+ "in ha.redis.sentinel.nodes under an address this application reaches, map its announced address with "
			+ "ha.redis.sentinel.address-map, or set 'sentinel announce-ip' / 'sentinel announce-port' in its "
			+ "sentinel.conf";

	private final String masterName;

	private final List<DiscoveryAttempt> attempts;

	private final List<String> knownMasterNames;

	/**
	 * Create a new instance.
	 * @param masterName the master name asked for
	 * @param attempts what each sentinel asked answered, in order
	 * @param knownMasterNames the master names the reachable sentinels do monitor
	 */
	public MasterDiscoveryException(String masterName, List<DiscoveryAttempt> attempts, List<String> knownMasterNames) {
		super("No usable master '" + masterName + "' found through "
				+ attempts.stream().map(DiscoveryAttempt::toString).collect(Collectors.joining("; ")));
		this.masterName = masterName;
		this.attempts = List.copyOf(attempts);
		this.knownMasterNames = List.copyOf(knownMasterNames);
	}

	/**
	 * Return the master name asked for.
	 * @return the master name
	 */
	public String getMasterName() {
		return this.masterName;
	}

	/**
	 * Return what each sentinel answered, in the order they were asked.
	 * @return the attempts
	 */
	public List<DiscoveryAttempt> getAttempts() {
		return this.attempts;
	}

	/**
	 * Return the master names the reachable sentinels monitor, to suggest a fix for a wrong name.
	 * @return the known master names
	 */
	public List<String> getKnownMasterNames() {
		return this.knownMasterNames;
	}

}
