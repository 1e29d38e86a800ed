package dev.haredis.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ConfigurableObjectInputStream;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * Java serialization that reads back only trusted classes: an {@link ObjectInputFilter} rejects every other class
 * before it is instantiated (its {@code readObject} never runs), so a value someone else wrote into Redis cannot
 * run a gadget chain. Values are written as with {@link JdkSerializationRedisSerializer}.
 */
public final class TrustedJdkSerializer implements RedisSerializer<Object> {

	private static final long MAX_DEPTH = 64;

	private final TrustedPackages trusted;

	private final @Nullable ClassLoader classLoader;

	// Only its serialize is used.
	private final RedisSerializer<Object> writer = new JdkSerializationRedisSerializer();

	/**
	 * Create a new instance.
	 * @param trusted the classes that may be read back
	 * @param classLoader the class loader to load them with
	 */
	public TrustedJdkSerializer(TrustedPackages trusted, @Nullable ClassLoader classLoader) {
		this.trusted = trusted;
		this.classLoader = classLoader;
	}

	@Override
	public byte @Nullable [] serialize(@Nullable Object value) {
		return this.writer.serialize(value);
	}

	@Override
	public @Nullable Object deserialize(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length == 0) {
			return null;
		}
		AllowList filter = new AllowList(this.trusted);
		try (ObjectInputStream in = new ConfigurableObjectInputStream(new ByteArrayInputStream(bytes),
				this.classLoader)) {
			in.setObjectInputFilter(filter);
			return in.readObject();
		}
		catch (IOException | ClassNotFoundException ex) {
			String rejected = filter.rejected;
			throw new SerializationException((rejected != null) ? "Class " + rejected
					+ " is not trusted: add its package to the trusted packages if the application stores it"
					: "Cannot read the value with Java serialization", ex);
		}
	}

	/**
	 * Allows the trusted classes and nothing else; remembers the first class it rejected.
	 */
	private static final class AllowList implements ObjectInputFilter {

		private final TrustedPackages trusted;

		private @Nullable String rejected;

		AllowList(TrustedPackages trusted) {
			this.trusted = trusted;
		}

		@Override
		public Status checkInput(FilterInfo info) {
			if (info.depth() > MAX_DEPTH) {
				return Status.REJECTED;
			}
			Class<?> type = info.serialClass();
			if (type == null) {
				return Status.UNDECIDED;
			}
			if (this.trusted.allows(type.getName())) {
				return Status.ALLOWED;
			}
			if (this.rejected == null) {
				this.rejected = type.getName();
			}
			return Status.REJECTED;
		}

	}

}
