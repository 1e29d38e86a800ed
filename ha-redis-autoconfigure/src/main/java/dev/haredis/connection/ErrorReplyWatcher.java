package dev.haredis.connection;

import java.nio.charset.StandardCharsets;

import io.lettuce.core.protocol.CommandHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Watches the bytes a data connection reads for the error replies of a server that is no longer the master,
 * {@code -READONLY} (a demoted master), {@code -LOADING} and {@code -MASTERDOWN}, and runs an action (the topology's
 * reconcile request) when one goes by. The bytes go on to Lettuce unchanged, so the failed command's error reaches
 * its caller as before: writes are not retried behind the application's back.
 * <p>
 * It costs nothing per command: no wrapper, no event, no allocation. It scans each read for {@code '-'} (the first
 * byte of an error reply) and compares the bytes after one that starts the read or a line. It does not parse RESP,
 * so:
 * <ul>
 * <li>a value that itself contains a line starting with {@code -READONLY} (and the like) triggers it too: a false
 * alarm costs one extra check with the sentinels, merged with any other;</li>
 * <li>an error reply split across two reads is still seen when the split falls inside the marker (the start of it
 * is carried over), but one whose {@code '-'} is not at the start of its read and follows a read ending in the
 * middle of a line is not; such a miss is rare and is caught by the periodic check at the next refresh interval.</li>
 * </ul>
 * One instance per channel, placed just before Lettuce's {@link CommandHandler}, behind TLS if there is TLS.
 */
final class ErrorReplyWatcher extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ErrorReplyWatcher.class);

	/** The error replies that mean the server is not (or not yet) a usable master. */
	private static final byte[][] MARKERS = { marker("-READONLY"), marker("-LOADING"), marker("-MASTERDOWN") };

	private static final int LONGEST = 11;

	private final Runnable onErrorReply;

	/** The start of a marker seen at the end of the previous read, waiting for the rest. */
	private final byte[] carried = new byte[LONGEST];

	private int carriedLength;

	/**
	 * Create a watcher for one channel.
	 * @param onErrorReply what to do when such an error reply is read; called on the channel's event loop, so it
	 * must not block
	 */
	ErrorReplyWatcher(Runnable onErrorReply) {
		this.onErrorReply = onErrorReply;
	}

	/**
	 * Put a watcher into a channel's pipeline, before Lettuce's command handler.
	 * @param pipeline the pipeline, initialized by Lettuce
	 * @param onErrorReply what to do when such an error reply is read
	 */
	static void install(ChannelPipeline pipeline, Runnable onErrorReply) {
		ChannelHandlerContext commandHandler = pipeline.context(CommandHandler.class);
		if (commandHandler == null) {
			logger.debug("No Lettuce command handler in " + pipeline.names() + "; error replies are not watched");
			return;
		}
		pipeline.addBefore(commandHandler.name(), "ha-redis-error-reply-watcher", new ErrorReplyWatcher(onErrorReply));
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) throws Exception {
		if (message instanceof ByteBuf bytes && bytes.isReadable() && containsErrorReply(bytes)) {
			this.onErrorReply.run();
		}
		context.fireChannelRead(message);
	}

	/**
	 * Say whether a read holds one of the markers at the start of the read or of a line, or completes one carried
	 * over from the previous read. Reads nothing beyond the buffer's readable bytes and moves no index.
	 */
	boolean containsErrorReply(ByteBuf bytes) {
		int start = bytes.readerIndex();
		int end = bytes.writerIndex();
		if (this.carriedLength > 0) {
			int carried = this.carriedLength;
			this.carriedLength = 0;
			if (completesCarried(bytes, start, end, carried)) {
				return true;
			}
		}
		int from = start;
		while (from < end) {
			int dash = bytes.indexOf(from, end, (byte) '-');
			if (dash < 0) {
				return false;
			}
			if ((dash == start || bytes.getByte(dash - 1) == '\n') && matchesAt(bytes, dash, end)) {
				return true;
			}
			from = dash + 1;
		}
		return false;
	}

	/**
	 * Whether a marker starts at {@code at}; when the read ends inside one, its start is carried to the next read.
	 */
	private boolean matchesAt(ByteBuf bytes, int at, int end) {
		int available = end - at;
		boolean prefix = false;
		for (byte[] marker : MARKERS) {
			int length = Math.min(marker.length, available);
			if (equal(bytes, at, marker, 0, length)) {
				if (length == marker.length) {
					return true;
				}
				prefix = true;
			}
		}
		if (prefix) {
			bytes.getBytes(at, this.carried, 0, available);
			this.carriedLength = available;
		}
		return false;
	}

	private boolean completesCarried(ByteBuf bytes, int start, int end, int carried) {
		for (byte[] marker : MARKERS) {
			if (marker.length <= carried || !startsWith(marker, this.carried, carried)) {
				continue;
			}
			int rest = Math.min(marker.length - carried, end - start);
			if (equal(bytes, start, marker, carried, rest)) {
				if (carried + rest == marker.length) {
					return true;
				}
				// Still incomplete (a read of a byte or two): carry what there is now.
				bytes.getBytes(start, this.carried, carried, rest);
				this.carriedLength = carried + rest;
			}
		}
		return false;
	}

	private static boolean equal(ByteBuf bytes, int at, byte[] marker, int offset, int length) {
		for (int i = 0; i < length; i++) {
			if (bytes.getByte(at + i) != marker[offset + i]) {
				return false;
			}
		}
		return true;
	}

	private static boolean startsWith(byte[] marker, byte[] prefix, int length) {
		for (int i = 0; i < length; i++) {
			if (marker[i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private static byte[] marker(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
