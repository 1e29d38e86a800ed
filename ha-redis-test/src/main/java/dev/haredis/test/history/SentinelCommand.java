package dev.haredis.test.history;

import java.util.Arrays;
import java.util.List;

/**
 * The sentinel commands a history records, each under the name it has in the file ({@code "command"}).
 */
public enum SentinelCommand {

	/** {@code SENTINEL GET-MASTER-ADDR-BY-NAME <master>}: {@code ["host","port"]} or {@code null}. */
	GET_MASTER_ADDR("get-master-addr", "GET-MASTER-ADDR-BY-NAME"),

	/** {@code SENTINEL MASTER <master>}: a map of the master's fields. */
	MASTER("master", "MASTER"),

	/** {@code SENTINEL REPLICAS <master>}: a list of maps, one per replica. */
	REPLICAS("replicas", "REPLICAS"),

	/** {@code SENTINEL SENTINELS <master>}: a list of maps, one per other sentinel. */
	SENTINELS("sentinels", "SENTINELS"),

	/** {@code SENTINEL CKQUORUM <master>}: the status text, or an error such as {@code NOQUORUM ...}. */
	CKQUORUM("ckquorum", "CKQUORUM"),

	/** {@code SENTINEL MYID}: the sentinel's id (Redis 6.2 and later). */
	MYID("myid", "MYID");

	private final String fileName;

	private final String subcommand;

	SentinelCommand(String fileName, String subcommand) {
		this.fileName = fileName;
		this.subcommand = subcommand;
	}

	/**
	 * Return the name of this command in a history file, for example {@code get-master-addr}.
	 * @return the name
	 */
	public String fileName() {
		return this.fileName;
	}

	/**
	 * Return the arguments that ask a sentinel this command about a master.
	 * @param masterName the master name
	 * @return the command and its arguments
	 */
	public String[] arguments(String masterName) {
		return (this == MYID) ? new String[] { "SENTINEL", this.subcommand }
				: new String[] { "SENTINEL", this.subcommand, masterName };
	}

	/**
	 * Return the command with the given file name.
	 * @param fileName the name in a history file
	 * @return the command
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static SentinelCommand fromFileName(String fileName) {
		return Arrays.stream(values())
			.filter((command) -> command.fileName.equals(fileName))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown sentinel command '" + fileName + "', expected one of "
					+ Arrays.stream(values()).map(SentinelCommand::fileName).toList()));
	}

	static List<SentinelCommand> inPollOrder() {
		return List.of(values());
	}

}
