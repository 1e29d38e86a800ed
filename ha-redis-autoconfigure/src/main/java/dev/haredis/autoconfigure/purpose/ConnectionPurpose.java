package dev.haredis.autoconfigure.purpose;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.haredis.autoconfigure.connection.ConnectionSettings;
import dev.haredis.autoconfigure.connection.ConnectionFactoryBuilder;

/**
 * A connection factory built for one purpose, and where that purpose keeps its keys. Each purpose's
 * auto-configuration declares one as a bean next to the factory, and {@link ConnectionPurposes} collects them.
 *
 * @param name the purpose's name in property names, for example {@code cache}
 * @param settings the settings its factory connects with
 * @param ownConnectionSettings whether its database or credentials differ from the top-level ones, so that they
 * need a check of their own
 * @param keyPrefix the prefix of every key it writes, all settings considered, or {@code null} when they have none
 * (or when it writes no keys)
 * @param storesKeys whether it writes keys at all (pub/sub alone does not)
 * @param factory its connection factory
 */
public record ConnectionPurpose(String name, ConnectionSettings settings, boolean ownConnectionSettings,
		@Nullable String keyPrefix, boolean storesKeys, LettuceConnectionFactory factory) {

	/**
	 * Describe the factory of a purpose that writes keys.
	 * @param properties the purpose's properties
	 * @param builder the builder the factory was built with, before the purpose's settings
	 * @param keyPrefix the prefix of every key the purpose writes, all settings considered, or {@code null}
	 * @param factory the factory, built with the purpose's settings
	 * @return the purpose
	 */
	public static ConnectionPurpose storingKeys(ConnectionPurposeProperties properties,
			ConnectionFactoryBuilder builder, @Nullable String keyPrefix,
			LettuceConnectionFactory factory) {
		return of(properties, builder, keyPrefix, true, factory);
	}

	/**
	 * Describe the factory of a purpose that writes no keys (pub/sub).
	 * @param properties the purpose's properties
	 * @param builder the builder the factory was built with, before the purpose's settings
	 * @param factory the factory, built with the purpose's settings
	 * @return the purpose
	 */
	public static ConnectionPurpose withoutKeys(ConnectionPurposeProperties properties,
			ConnectionFactoryBuilder builder, LettuceConnectionFactory factory) {
		return of(properties, builder, null, false, factory);
	}

	private static ConnectionPurpose of(ConnectionPurposeProperties properties, ConnectionFactoryBuilder builder,
			@Nullable String keyPrefix, boolean storesKeys, LettuceConnectionFactory factory) {
		ConnectionSettings topLevel = builder.settings();
		ConnectionSettings settings = topLevel.withOverrides(properties);
		return new ConnectionPurpose(properties.purposeName(), settings, !settings.sameServerSideAs(topLevel),
				keyPrefix, storesKeys, factory);
	}

	/**
	 * Return the database the purpose uses.
	 * @return the database index
	 */
	public int database() {
		return this.settings.database();
	}

	/**
	 * Whether this purpose and another may write the same keys.
	 * @param other the other purpose
	 * @return whether their keys may collide
	 */
	boolean mayCollideWith(ConnectionPurpose other) {
		return this.storesKeys && other.storesKeys && database() == other.database()
				&& Objects.equals(this.keyPrefix, other.keyPrefix);
	}

}
