package dev.haredis.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.cache.RedisCacheWriter;

/**
 * Lets {@link UnreadableAsMissSerializer} load a value again when a read with a value loader
 * ({@code @Cacheable(sync = true)}, {@code Cache.get(key, loader)}) finds an entry it cannot read: the loader runs and
 * its value replaces the entry, as on a miss. Every other operation goes to the delegate unchanged.
 */
final class ReloadingCacheWriter extends DelegatingRedisCacheWriter {

	private final UnreadableAsMissSerializer serializer;

	ReloadingCacheWriter(RedisCacheWriter delegate, UnreadableAsMissSerializer serializer) {
		super(delegate);
		this.serializer = serializer;
	}

	@Override
	protected RedisCacheWriter decorate(RedisCacheWriter delegate) {
		return new ReloadingCacheWriter(delegate, this.serializer);
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
	public CompletableFuture<byte[]> retrieve(String name, byte[] key, @Nullable Duration ttl) {
		this.serializer.forgetReload();
		return this.delegate.retrieve(name, key, ttl);
	}

	@Override
	public byte @Nullable [] putIfAbsent(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		this.serializer.forgetReload();
		return this.delegate.putIfAbsent(name, key, value, ttl);
	}

}
