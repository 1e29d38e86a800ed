package dev.haredis.cache;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * Reads a cached value that cannot be read (written in another format, such as Java serialization before an
 * upgrade to JSON, or naming a class that is not trusted) as absent: a cache miss, so the application loads the
 * value again and overwrites the entry, instead of failing every request until the entry expires. Logged as a
 * warning the first time (the class refused, never the value), then at debug level; counted. Reads with a value
 * loader ({@code @Cacheable(sync = true)}) load the value again when the cache's writer comes from
 * {@link #reloadingIn(RedisCacheWriter)}.
 * <p>
 * Public because the auto-configuration ({@code dev.haredis.autoconfigure.cache}) creates it; applications
 * choose the format with {@code ha.redis.cache.value-format}.
 */
public final class UnreadableAsMissSerializer implements RedisSerializer<Object> {

	private static final Log logger = LogFactory.getLog(UnreadableAsMissSerializer.class);

	// Jackson's refusal of a class name: "Could not resolve type id 'com.example.X' as a subtype of ...".
	private static final Pattern JACKSON_TYPE_ID = Pattern.compile("type id '([\\w.$\\[;]+)'");

	private final RedisSerializer<Object> delegate;

	private final String format;

	private final AtomicBoolean warned = new AtomicBoolean();

	private final LongAdder unreadable = new LongAdder();

	// Set by ReloadingCacheWriter for the bytes the cache is about to read after a read with a value loader.
	private final ThreadLocal<@Nullable Reload> reload = new ThreadLocal<>();

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

	/**
	 * Return a cache writer that lets this serializer load a value again when a read with a value loader (such as
	 * {@code @Cacheable(sync = true)}) finds an entry it cannot read, instead of reading it as {@code null}.
	 * @param writer the writer the cache uses
	 * @return the writer to give the cache instead
	 */
	public RedisCacheWriter reloadingIn(RedisCacheWriter writer) {
		return new ReloadingCacheWriter(writer, this);
	}

	/**
	 * Load a value again, should these very bytes be unreadable when the cache reads them next on this thread.
	 */
	void reloadIfUnreadable(byte[] bytes, Supplier<byte[]> loader) {
		this.reload.set(new Reload(bytes, loader));
	}

	/**
	 * Forget a reload a read with a value loader left on this thread (the next read is another one).
	 */
	void forgetReload() {
		this.reload.remove();
	}

	@Override
	public @Nullable Object deserialize(byte @Nullable [] bytes) {
		Reload pending = this.reload.get();
		this.reload.remove();
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
			// Only the bytes the writer just returned (the cache reads a copy of them).
			return (pending != null && Arrays.equals(pending.bytes(), bytes))
					? this.delegate.deserialize(pending.loader().get()) : null;
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

	private record Reload(byte[] bytes, Supplier<byte[]> loader) {

	}

	private static String reason(SerializationException ex) {
		// Our own messages name the class refused; a parser's message may quote the stored bytes: leave it out.
		String message = ex.getMessage();
		int refused = (message != null && message.startsWith("Class ")) ? message.indexOf(" is not trusted") : -1;
		if (refused >= 0) {
			return message.substring(0, refused + " is not trusted".length());
		}
		Throwable cause = ex.getMostSpecificCause();
		Matcher typeId = JACKSON_TYPE_ID.matcher(String.valueOf(cause.getMessage()));
		if (cause.getClass().getSimpleName().equals("InvalidTypeIdException") && typeId.find()) {
			return "class " + typeId.group(1) + " is not trusted";
		}
		return cause.getClass().getSimpleName();
	}

}
