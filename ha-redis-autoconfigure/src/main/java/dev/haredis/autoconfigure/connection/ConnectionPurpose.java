package dev.haredis.autoconfigure.connection;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.haredis.connection.MasterLettuceConnectionFactory;

/**
 * A connection factory built for one purpose, and where that purpose keeps its keys.
 *
 * @param name the purpose's name in property names, for example {@code cache}
 * @param database the database it uses
 * @param keyPrefix the prefix of every key it writes, or {@code null} when they have none
 * @param storesKeys whether it writes keys at all
 * @param ownConnectionSettings whether its database or credentials differ from the top-level ones, so that they
 * need a check of their own
 * @param factory its connection factory
 */
record ConnectionPurpose(String name, int database, @Nullable String keyPrefix, boolean storesKeys,
		boolean ownConnectionSettings, MasterLettuceConnectionFactory factory) {

	/**
	 * Whether this purpose and another may write the same keys.
	 * @param other the other purpose
	 * @return whether their keys may collide
	 */
	boolean mayCollideWith(ConnectionPurpose other) {
		return this.storesKeys && other.storesKeys && this.database == other.database
				&& Objects.equals(this.keyPrefix, other.keyPrefix);
	}

}
