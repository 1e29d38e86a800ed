package dev.haredis.test.history;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the lines of a history, each stamped with the milliseconds since the recording started. The time is taken
 * under the lock that orders the lines, so it never goes backwards in the file.
 */
final class HistoryWriter implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final BufferedWriter out;

	private final long startNanos = System.nanoTime();

	private boolean closed;

	HistoryWriter(Path file) {
		try {
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
	}

	long elapsedMillis() {
		return (System.nanoTime() - this.startNanos) / 1_000_000;
	}

	/**
	 * Write one line: {@code "t"}, then {@code "type"}, then the given fields. Lines written after
	 * {@link #close()} are dropped. The header is at t = 0 by definition.
	 * @return the time written
	 */
	synchronized long write(String type, Map<String, ?> fields) {
		long t = "header".equals(type) ? 0 : elapsedMillis();
		if (this.closed) {
			return t;
		}
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("t", t);
		line.put("type", type);
		line.putAll(fields);
		try {
			this.out.write(JSON.writeValueAsString(line));
			this.out.write('\n');
			this.out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return t;
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.out.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
