package dev.haredis.connection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ReadOnlyCommands;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Fails write commands at once, before they are sent, while the {@link WriteGate} is closed. Installed last in each
 * data connection's pipeline, so it sees commands before Lettuce's command handler. A command that is neither
 * read-only (Lettuce's list) nor a connection, pub/sub, transaction-control or introspection command counts as a
 * write; {@code EXEC} is one, so a transaction is refused as a whole.
 */
@ChannelHandler.Sharable
final class WriteGuard extends ChannelOutboundHandlerAdapter {

	private static final Set<String> NOT_WRITES = Set.of("AUTH", "HELLO", "SELECT", "CLIENT", "PING", "ECHO", "QUIT",
			"RESET", "WAIT", "WAITAOF", "INFO", "ROLE", "COMMAND", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE",
			"UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "PUBLISH", "SPUBLISH", "PUBSUB", "WATCH", "UNWATCH", "MULTI",
			"DISCARD", "READONLY", "READWRITE", "ASKING", "TIME", "DBSIZE", "LASTSAVE", "MEMORY", "SLOWLOG", "LATENCY",
			"CONFIG", "SCRIPT");

	private final WriteGate gate;

	WriteGuard(WriteGate gate) {
		this.gate = gate;
	}

	@Override
	public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
		RuntimeException refusal = this.gate.refusal();
		if (refusal == null) {
			context.write(message, promise);
			return;
		}
		if (message instanceof RedisCommand<?, ?, ?> command) {
			if (isWrite(command.getType())) {
				command.completeExceptionally(refusal);
				promise.trySuccess();
				return;
			}
		}
		else if (message instanceof Collection<?> batch) {
			List<Object> passed = new ArrayList<>(batch.size());
			for (Object element : batch) {
				if (element instanceof RedisCommand<?, ?, ?> command && isWrite(command.getType())) {
					command.completeExceptionally(refusal);
				}
				else {
					passed.add(element);
				}
			}
			if (passed.isEmpty()) {
				promise.trySuccess();
				return;
			}
			context.write(passed, promise);
			return;
		}
		context.write(message, promise);
	}

	static boolean isWrite(ProtocolKeyword type) {
		if (ReadOnlyCommands.isReadOnlyCommand(type)) {
			return false;
		}
		String name = (type instanceof CommandType commandType) ? commandType.name() : type.toString();
		return !NOT_WRITES.contains(name.toUpperCase(Locale.ROOT));
	}

}
