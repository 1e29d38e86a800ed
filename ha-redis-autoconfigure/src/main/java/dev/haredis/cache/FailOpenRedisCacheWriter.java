package dev.haredis.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.lettuce.core.RedisException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.cache.RedisCacheWriter;

/**
 * A {@link RedisCacheWriter} that lets the application run without its cache while Redis is unavailable: a read
 * is a miss and a write is skipped, instead of failing the request. Operations are skipped without a round trip
 * while the topology has no verified master (a failover in progress), and when Redis fails them (connection lost,
 * timeout, {@code READONLY} from a demoted master). Failures of the application's own value loaders are never
 * hidden.
 * <p>
 * Working on the cache writer, rather than in a {@code CacheErrorHandler}, covers programmatic use of the caches
 * as well as the caching annotations, and leaves the application's {@code CachingConfigurer} alone.
 * <p>
 * Public because the auto-configuration ({@code dev.haredis.autoconfigure.cache}) creates it; applications
 * turn it off with {@code ha.redis.cache.fail-open=false}.
 */
public class FailOpenRedisCacheWriter extends DelegatingRedisCacheWriter {

	private final BooleanSupplier masterAvailable;

	private final CacheOutage outage;

	/**
	 * Create a new instance.
	 * @param delegate the writer that talks to Redis
	 * @param masterAvailable whether a verified master is known
	 * @param outage where skipped operations are recorded
	 */
	public FailOpenRedisCacheWriter(RedisCacheWriter delegate, BooleanSupplier masterAvailable, CacheOutage outage) {
		super(delegate);
		this.masterAvailable = masterAvailable;
		this.outage = outage;
	}

	@Override
	protected RedisCacheWriter decorate(RedisCacheWriter delegate) {
		return new FailOpenRedisCacheWriter(delegate, this.masterAvailable, this.outage);
	}

	@Override
	public byte @Nullable [] get(String name, byte[] key) {
		return call(CacheOperation.GET, name, () -> this.delegate.get(name, key), null);
	}

	@Override
	public byte @Nullable [] get(String name, byte[] key, @Nullable Duration ttl) {
		return call(CacheOperation.GET, name, () -> this.delegate.get(name, key, ttl), null);
	}

	@Override
	public byte[] get(String name, byte[] key, Supplier<byte[]> valueLoader, @Nullable Duration ttl,
			boolean timeToIdleEnabled) {
		if (!this.masterAvailable.getAsBoolean()) {
			this.outage.skipped(CacheOperation.GET, name, null);
			return valueLoader.get();
		}
		// The loader may have run before Redis failed (on the write after it): never run it twice.
		LoadOnce loader = new LoadOnce(valueLoader);
		try {
			byte[] value = this.delegate.get(name, key, loader, ttl, timeToIdleEnabled);
			this.outage.succeeded();
			return value;
		}
		catch (RuntimeException ex) {
			if (!isRedisFailure(ex)) {
				throw ex;
			}
			this.outage.skipped(CacheOperation.GET, name, ex);
			return loader.get();
		}
	}

	@Override
	public CompletableFuture<byte[]> retrieve(String name, byte[] key, @Nullable Duration ttl) {
		return callAsync(CacheOperation.GET, name, () -> this.delegate.retrieve(name, key, ttl));
	}

	@Override
	public void put(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		call(CacheOperation.PUT, name, () -> {
			this.delegate.put(name, key, value, ttl);
			return null;
		}, null);
	}

	@Override
	public CompletableFuture<Void> store(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		return callAsync(CacheOperation.PUT, name, () -> this.delegate.store(name, key, value, ttl));
	}

	@Override
	public byte @Nullable [] putIfAbsent(String name, byte[] key, byte[] value, @Nullable Duration ttl) {
		return call(CacheOperation.PUT, name, () -> this.delegate.putIfAbsent(name, key, value, ttl), null);
	}

	@Override
	public void evict(String name, byte[] key) {
		call(CacheOperation.EVICT, name, () -> {
			this.delegate.evict(name, key);
			return null;
		}, null);
	}

	@Override
	public boolean evictIfPresent(String name, byte[] key) {
		Boolean evicted = call(CacheOperation.EVICT, name, () -> this.delegate.evictIfPresent(name, key), false);
		return Boolean.TRUE.equals(evicted);
	}

	@Override
	public void clear(String name, byte[] pattern) {
		call(CacheOperation.CLEAR, name, () -> {
			this.delegate.clear(name, pattern);
			return null;
		}, null);
	}

	@Override
	public boolean invalidate(String name, byte[] pattern) {
		Boolean invalidated = call(CacheOperation.CLEAR, name, () -> this.delegate.invalidate(name, pattern), false);
		return Boolean.TRUE.equals(invalidated);
	}

	/**
	 * Return the writer that talks to Redis.
	 * @return the delegate
	 */
	RedisCacheWriter getDelegate() {
		return this.delegate;
	}

	private <T> @Nullable T call(CacheOperation operation, String name, Supplier<@Nullable T> action,
			@Nullable T whenSkipped) {
		if (!this.masterAvailable.getAsBoolean()) {
			this.outage.skipped(operation, name, null);
			return whenSkipped;
		}
		try {
			T result = action.get();
			this.outage.succeeded();
			return result;
		}
		catch (RuntimeException ex) {
			if (!isRedisFailure(ex)) {
				throw ex;
			}
			this.outage.skipped(operation, name, ex);
			return whenSkipped;
		}
	}

	private <T> CompletableFuture<T> callAsync(CacheOperation operation, String name,
			Supplier<CompletableFuture<T>> action) {
		if (!this.masterAvailable.getAsBoolean()) {
			this.outage.skipped(operation, name, null);
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<T> started;
		try {
			started = action.get();
		}
		catch (RuntimeException ex) {
			if (!isRedisFailure(ex)) {
				throw ex;
			}
			this.outage.skipped(operation, name, ex);
			return CompletableFuture.completedFuture(null);
		}
		return started.handle((result, failure) -> {
			if (failure == null) {
				this.outage.succeeded();
				return result;
			}
			if (!isRedisFailure(failure)) {
				throw (failure instanceof CompletionException completion) ? completion
						: new CompletionException(failure);
			}
			this.outage.skipped(operation, name, failure);
			return null;
		});
	}

	/**
	 * Whether a failure comes from Redis rather than from the application (a value loader, serialization).
	 */
	static boolean isRedisFailure(Throwable failure) {
		Throwable candidate = failure;
		while ((candidate instanceof CompletionException || candidate instanceof ExecutionException)
				&& candidate.getCause() != null) {
			candidate = candidate.getCause();
		}
		return candidate instanceof DataAccessException || candidate instanceof RedisException;
	}

	/**
	 * Runs a value loader at most once and remembers its value.
	 */
	private static final class LoadOnce implements Supplier<byte[]> {

		private final Supplier<byte[]> loader;

		private byte @Nullable [] value;

		private boolean loaded;

		LoadOnce(Supplier<byte[]> loader) {
			this.loader = loader;
		}

		@Override
		public byte[] get() {
			if (!this.loaded) {
				this.value = this.loader.get();
				this.loaded = true;
			}
			return this.value;
		}

	}

}
