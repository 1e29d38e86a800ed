package dev.haredis.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The RESP2 of a {@link FakeRespServer}: commands read as lists of strings (inline commands too), replies written
 * from {@code null}, {@link FakeRespServer.StatusReply}, {@link FakeRespServer.ErrorReply}, {@link Long}, lists and
 * strings.
 */
final class FakeRespCodec {

	private FakeRespCodec() {
	}

	/**
	 * Read one command, or return {@code null} at the end of the stream.
	 */
	static @Nullable List<String> read(InputStream in) throws IOException {
		int type = in.read();
		if (type == -1) {
			return null;
		}
		if (type != '*') {
			// An inline command (telnet style).
			String line = (char) type + readLine(in);
			return List.of(line.strip().split("\\s+"));
		}
		int count = Integer.parseInt(readLine(in));
		List<String> args = new ArrayList<>(Math.max(count, 0));
		for (int i = 0; i < count; i++) {
			if (in.read() != '$') {
				throw new IOException("Expected a bulk string");
			}
			int length = Integer.parseInt(readLine(in));
			byte[] data = in.readNBytes(length + 2);
			args.add(new String(data, 0, length, StandardCharsets.UTF_8));
		}
		return args;
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != '\r') {
			if (c == -1) {
				throw new IOException("Connection closed by client");
			}
			line.append((char) c);
		}
		in.read(); // '\n'
		return line.toString();
	}

	static void encode(@Nullable Object reply, ByteArrayOutputStream out) {
		if (reply == null) {
			out.writeBytes("$-1\r\n".getBytes(StandardCharsets.UTF_8));
		}
		else if (reply instanceof FakeRespServer.StatusReply status) {
			out.writeBytes(("+" + status.text() + "\r\n").getBytes(StandardCharsets.UTF_8));
		}
		else if (reply instanceof FakeRespServer.ErrorReply error) {
			out.writeBytes(("-" + error.text() + "\r\n").getBytes(StandardCharsets.UTF_8));
		}
		else if (reply instanceof Long number) {
			out.writeBytes((":" + number + "\r\n").getBytes(StandardCharsets.UTF_8));
		}
		else if (reply instanceof List<?> items) {
			out.writeBytes(("*" + items.size() + "\r\n").getBytes(StandardCharsets.UTF_8));
			items.forEach((item) -> encode(item, out));
		}
		else {
			byte[] bytes = reply.toString().getBytes(StandardCharsets.UTF_8);
			out.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.writeBytes(bytes);
			out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
		}
	}

	/**
	 * Return whether a command starts with the given words, ignoring case.
	 */
	static boolean startsWith(List<String> command, String[] words) {
		if (command.size() < words.length) {
			return false;
		}
		for (int i = 0; i < words.length; i++) {
			if (!words[i].equalsIgnoreCase(command.get(i))) {
				return false;
			}
		}
		return true;
	}

}
