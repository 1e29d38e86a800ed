package dev.haredis.topology;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when no sentinel named a master that could be used; carries what each sentinel answered.
 */
public class MasterDiscoveryException extends RuntimeException {

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
