package dev.haredis.queue;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.DefaultBaseTypeLimitingValidator;

/**
 * Writes payloads and results as plain JSON, without type information, and reads them as the type the reader asks
 * for (the handler's parameter type): a payload can never make the worker instantiate a class of its choosing.
 * The mapper given is copied with default typing off and Jackson's default type validator, whatever the application
 * configured on it globally (a mapper with default typing would let a payload name the class to instantiate).
 * <p>
 * Public because the auto-configuration ({@code dev.haredis.autoconfigure.queue}) creates it; applications do
 * not call it.
 */
public class TaskPayloads {

	private final JsonMapper mapper;

	private final ObjectWriter writer;

	// A reader per type, made once: cheaper than asking the mapper for each task.
	private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();

	/**
	 * Create a new instance.
	 * @param mapper the mapper, for example Spring Boot's, whose modules and features apply but not its default
	 * typing
	 */
	public TaskPayloads(JsonMapper mapper) {
		this.mapper = mapper.rebuild()
			.deactivateDefaultTyping()
			.polymorphicTypeValidator(new DefaultBaseTypeLimitingValidator())
			.build();
		this.writer = this.mapper.writer();
	}

	String write(@Nullable Object value) {
		try {
			return this.writer.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Cannot write " + ((value != null) ? value.getClass().getName() : null)
					+ " as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Read JSON as a type.
	 * @param json the JSON
	 * @param type the type to read
	 * @return the value
	 * @throws IllegalArgumentException when the JSON cannot be read as the type; its message never quotes the JSON
	 */
	@Nullable Object read(String json, Type type) {
		ObjectReader reader = this.readers.computeIfAbsent(type,
				(key) -> this.mapper.readerFor(this.mapper.getTypeFactory().constructType(key)));
		try {
			return reader.readValue(json);
		}
		catch (JacksonException ex) {
			// Jackson's own message may quote the payload: only its kind and where it stopped, as the payload
			// itself stays in the dead-letter entry.
			JavaType javaType = this.mapper.getTypeFactory().constructType(type);
			TokenStreamLocation location = ex.getLocation();
			throw new IllegalArgumentException("Cannot read the payload as " + javaType.toCanonical() + ": "
					+ ex.getClass().getSimpleName() + ((location != null)
							? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : ""));
		}
	}

}
