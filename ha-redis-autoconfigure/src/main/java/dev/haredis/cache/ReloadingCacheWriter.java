package dev.haredis.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.cache.CacheStatistics;
import org.springframework.data.redis.cache.CacheStatisticsCollector;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Lets {@link UnreadableAsMissSerializer} load a value again when a read with a value loader
 * ({@code @Cacheable(sync = true)}, {@code Cache.get(key, loader)}) finds an entry it cannot read: the loader runs and
 * its value replaces the entry, as on a miss. Every other operation goes to the delegate unchanged.
 */
final class ReloadingCacheWriter implements RedisCacheWriter {

	private final RedisCacheWriter delegate;

	private final UnreadableAsMissSerializer serializer;

	ReloadingCacheWriter(RedisCacheWriter delegate, UnreadableAsMissSerializer serializer) {
		this.delegate = delegate;
		this.serializer = serializer;
	}

	@Override
	public byte[] get(String name, byte[] key, Supplier<byte[]> valueLoader, @Nullable Duration ttl,
			boolean timeToIdleEnabled) {
		byte[] value = this.delegate.get(name, key, valueLoader, ttl, timeToIdleEnabled);
		// The cache reads these very bytes next; should they be unreadable, it gets the loader's value instead.
		this.serializer.reloadIfUnreadable(value, () -> {
			byte[] loaded = valueLoader.get();
			this.delegate.put(name, key, loaded, ttl);
			return loaded;
		});
		return value;
	}

	@Override
	public byte @Nullable [] get(String name, byte[] key) {
		this.serializer.forgetReload();
		return this.delegate.get(name, key);
	}

	@Override
	public byte @Nullable [] get(String name, byte[] key, @Nullable Duration ttl) {
		this.serializer.forgetReload();
		return this.delegate.get(name, key, ttl);
	}

	@Override
	public boolean supportsAsyncRetrieve() {
		return this.delegate.supportsAsyncRetrieve();
	}

	@Override
	public CompletableFuture<byte[]> retrieve(String name, byte[] key, @Nullable Duration ttl) {
		this.serializer.forgetReload();
		return this.delegate.retrieve(name, key, ttl);
	}

	@Override
	public void put(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		this.delegate.put(name, key, value, ttl);
	}

	@Override
	public CompletableFuture<Void> store(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		return this.delegate.store(name, key, value, ttl);
	}

	@Override
	public byte @Nullable [] putIfAbsent(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		this.serializer.forgetReload();
		return this.delegate.putIfAbsent(name, key, value, ttl);
	}

	@Override
	public void evict(String name, byte[] key) {
		this.delegate.evict(name, key);
	}

	@Override
	public boolean evictIfPresent(String name, byte[] key) {
		return this.delegate.evictIfPresent(name, key);
	}

	@Override
	public void clear(String name, byte[] pattern) {
		this.delegate.clear(name, pattern);
	}

	@Override
	public boolean invalidate(String name, byte[] pattern) {
		return this.delegate.invalidate(name, pattern);
	}

	@Override
	public void clearStatistics(String name) {
		this.delegate.clearStatistics(name);
	}

	@Override
	public CacheStatistics getCacheStatistics(String cacheName) {
		return this.delegate.getCacheStatistics(cacheName);
	}

	@Override
	public <T extends @Nullable Object> T execute(Function<RedisConnection, T> callback) {
		return this.delegate.execute(callback);
	}

	@Override
	public RedisCacheWriter withStatisticsCollector(CacheStatisticsCollector cacheStatisticsCollector) {
		return new ReloadingCacheWriter(this.delegate.withStatisticsCollector(cacheStatisticsCollector),
				this.serializer);
	}

}
