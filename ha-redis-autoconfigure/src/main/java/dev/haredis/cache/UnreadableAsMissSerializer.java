package dev.haredis.cache;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * Reads a cached value that cannot be read (written in another format, such as Java serialization before an
 * upgrade to JSON, or naming a class that is not trusted) as absent: a cache miss, so the application loads the
 * value again and overwrites the entry, instead of failing every request until the entry expires. Logged as a
 * warning the first time (the class refused, never the value), then at debug level; counted.
 */
public final class UnreadableAsMissSerializer implements RedisSerializer<Object> {

	private static final Log logger = LogFactory.getLog(UnreadableAsMissSerializer.class);

	// Jackson's refusal of a class name: "Could not resolve type id 'com.example.X' as a subtype of ...".
	private static final Pattern JACKSON_TYPE_ID = Pattern.compile("type id '([\\w.$\\[;]+)'");

	private final RedisSerializer<Object> delegate;

	private final String format;

	private final AtomicBoolean warned = new AtomicBoolean();

	private final LongAdder unreadable = new LongAdder();

	/**
	 * Create a new instance.
	 * @param delegate the serializer that writes and reads the values
	 * @param format the name of the format, for the log
	 */
	public UnreadableAsMissSerializer(RedisSerializer<Object> delegate, String format) {
		this.delegate = delegate;
		this.format = format;
	}

	@Override
	public byte @Nullable [] serialize(@Nullable Object value) {
		return this.delegate.serialize(value);
	}

	@Override
	public @Nullable Object deserialize(byte @Nullable [] bytes) {
		try {
			return this.delegate.deserialize(bytes);
		}
		catch (SerializationException ex) {
			this.unreadable.increment();
			String message = "A cached value could not be read as " + this.format + " and is treated as a miss ("
					+ reason(ex) + "). Entries written in another format (before a change of "
					+ "ha.redis.cache.value-format) or by someone else are ignored and overwritten";
			if (this.warned.compareAndSet(false, true)) {
				logger.warn(message + "; further unreadable values are logged at debug level");
			}
			else if (logger.isDebugEnabled()) {
				logger.debug(message);
			}
			return null;
		}
	}

	/**
	 * Return the serializer that writes and reads the values.
	 * @return the delegate
	 */
	public RedisSerializer<Object> getDelegate() {
		return this.delegate;
	}

	/**
	 * Return how many values could not be read.
	 * @return the count
	 */
	public long getUnreadable() {
		return this.unreadable.sum();
	}

	private static String reason(SerializationException ex) {
		// Our own messages name the class refused; a parser's message may quote the stored bytes: leave it out.
		String message = ex.getMessage();
		if (message != null && message.startsWith("Class ")) {
			return message.substring(0, message.indexOf(" is not trusted") + " is not trusted".length());
		}
		Throwable cause = ex.getMostSpecificCause();
		Matcher typeId = JACKSON_TYPE_ID.matcher(String.valueOf(cause.getMessage()));
		if (cause.getClass().getSimpleName().equals("InvalidTypeIdException") && typeId.find()) {
			return "class " + typeId.group(1) + " is not trusted";
		}
		return cause.getClass().getSimpleName();
	}

}
