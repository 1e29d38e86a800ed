package dev.haredis.cache;

/**
 * The kinds of cache operation a {@link FailOpenRedisCacheWriter} may skip.
 */
public enum CacheOperation {

	/**
	 * A read: skipped, it is a miss.
	 */
	GET,

	/**
	 * A write of a value.
	 */
	PUT,

	/**
	 * The eviction of one entry.
	 */
	EVICT,

	/**
	 * The eviction of all entries of a cache, or of those matching a pattern.
	 */
	CLEAR

}
