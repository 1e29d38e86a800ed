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
 * A {@link RedisCacheWriter} that hands every operation to another one, for decorators that change a few of them.
 */
abstract class DelegatingRedisCacheWriter implements RedisCacheWriter {

	protected final RedisCacheWriter delegate;

	DelegatingRedisCacheWriter(RedisCacheWriter delegate) {
		this.delegate = delegate;
	}

	/**
	 * Return this decorator around another writer.
	 * @param delegate the other writer
	 * @return the decorated writer
	 */
	protected abstract RedisCacheWriter decorate(RedisCacheWriter delegate);

	@Override
	public byte @Nullable [] get(String name, byte[] key) {
		return this.delegate.get(name, key);
	}

	@Override
	public byte @Nullable [] get(String name, byte[] key, @Nullable Duration ttl) {
		return this.delegate.get(name, key, ttl);
	}

	@Override
	public byte[] get(String name, byte[] key, Supplier<byte[]> valueLoader, @Nullable Duration ttl,
			boolean timeToIdleEnabled) {
		return this.delegate.get(name, key, valueLoader, ttl, timeToIdleEnabled);
	}

	@Override
	public boolean supportsAsyncRetrieve() {
		return this.delegate.supportsAsyncRetrieve();
	}

	@Override
	public CompletableFuture<byte[]> retrieve(String name, byte[] key, @Nullable Duration ttl) {
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
		return decorate(this.delegate.withStatisticsCollector(cacheStatisticsCollector));
	}

}
