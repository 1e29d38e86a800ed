package dev.haredis.test;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.haredis.test.FakeRespServer.ErrorReply;
import dev.haredis.test.FakeRespServer.StatusReply;

/**
 * The answers of {@link FakeRespServer#sentinel(String, int, String, long, List)}: a sentinel monitoring one master
 * at an address of the test's choice.
 */
final class FakeSentinelResponder implements FakeRespServer.Responder {

	private final String masterName;

	private final int masterPort;

	private final String myId;

	private final List<String> master;

	private final List<List<String>> replicas;

	FakeSentinelResponder(String masterName, int masterPort, String myId, long configEpoch,
			List<Integer> replicaPorts) {
		this.masterName = masterName;
		this.masterPort = masterPort;
		this.myId = myId;
		this.replicas = replicaPorts.stream()
			.map((port) -> List.of("name", "127.0.0.1:" + port, "ip", "127.0.0.1", "port", Integer.toString(port),
					"flags", "slave", "master-link-status", "ok"))
			.toList();
		this.master = List.of("name", masterName, "ip", "127.0.0.1", "port", Integer.toString(masterPort),
				"runid", myId, "flags", "master", "config-epoch", Long.toString(configEpoch), "quorum", "2",
				"num-slaves", "0", "num-other-sentinels", "0");
	}

	@Override
	public @Nullable Object reply(List<String> command) {
		String name = command.get(0).toUpperCase(Locale.ROOT);
		String sub = (command.size() > 1) ? command.get(1).toUpperCase(Locale.ROOT) : "";
		boolean ours = command.size() > 2 && this.masterName.equals(command.get(2));
		return switch (name) {
			case "PING" -> new StatusReply("PONG");
			case "AUTH", "CLIENT" -> new StatusReply("OK");
			case "PUBLISH" -> 0L;
			case "SENTINEL" -> switch (sub) {
				case "MYID" -> this.myId;
				case "GET-MASTER-ADDR-BY-NAME" -> ours ? List.of("127.0.0.1", Integer.toString(this.masterPort)) : null;
				case "MASTER" -> ours ? this.master : new ErrorReply("ERR No such master with that name");
				case "MASTERS" -> List.of(this.master);
				case "REPLICAS", "SLAVES" -> ours ? this.replicas : List.of();
				case "SENTINELS" -> List.of();
				case "CKQUORUM" -> new StatusReply("OK 1 usable Sentinels. Quorum and failover authorization "
						+ "can be reached");
				case "IS-MASTER-DOWN-BY-ADDR" -> List.of(0L, "*", 0L);
				default -> new ErrorReply("ERR unknown sentinel subcommand '" + sub + "'");
			};
			default -> new ErrorReply("ERR unknown command '" + command.get(0) + "'");
		};
	}

}
