package dev.haredis.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.cache.Cache.ValueRetrievalException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.serializer.SerializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

class FailOpenRedisCacheWriterTests {

	private static final byte[] KEY = "k".getBytes();

	private static final byte[] VALUE = "v".getBytes();

	private final RedisCacheWriter delegate = mock(RedisCacheWriter.class);

	private final AtomicBoolean masterAvailable = new AtomicBoolean(true);

	private final CacheOutage outage = new CacheOutage(Clock.systemUTC());

	private final FailOpenRedisCacheWriter writer = new FailOpenRedisCacheWriter(this.delegate,
			this.masterAvailable::get, this.outage);

	@Test
	void passesOperationsThroughWhileRedisWorks() {
		given(this.delegate.get("c", KEY, null)).willReturn(VALUE);
		assertThat(this.writer.get("c", KEY, null)).isEqualTo(VALUE);
		assertThat(this.outage.isOngoing()).isFalse();
	}

	@Test
	void skipsWithoutRoundTripWhileNoMasterIsAvailable() {
		this.masterAvailable.set(false);
		assertThat(this.writer.get("c", KEY)).isNull();
		this.writer.put("c", KEY, VALUE, null);
		assertThat(this.writer.evictIfPresent("c", KEY)).isFalse();
		this.writer.clear("c", KEY);
		verifyNoInteractions(this.delegate);
		assertThat(this.outage.skippedCount(CacheOperation.GET)).isEqualTo(1);
		assertThat(this.outage.skippedCount(CacheOperation.PUT)).isEqualTo(1);
		assertThat(this.outage.skippedCount(CacheOperation.EVICT)).isEqualTo(1);
		assertThat(this.outage.skippedCount(CacheOperation.CLEAR)).isEqualTo(1);
		assertThat(this.outage.outages()).isEqualTo(1);
	}

	@Test
	void turnsRedisFailuresIntoMissesAndSkippedWrites() {
		given(this.delegate.get("c", KEY)).willThrow(new RedisConnectionFailureException("connection lost"));
		willThrow(new RedisSystemException("READONLY", new RuntimeException("READONLY"))).given(this.delegate)
			.put("c", KEY, VALUE, null);
		given(this.delegate.putIfAbsent("c", KEY, VALUE, null)).willThrow(new QueryTimeoutException("timeout"));
		assertThat(this.writer.get("c", KEY)).isNull();
		this.writer.put("c", KEY, VALUE, null);
		assertThat(this.writer.putIfAbsent("c", KEY, VALUE, null)).isNull();
		assertThat(this.outage.skippedCount(CacheOperation.GET)).isEqualTo(1);
		assertThat(this.outage.skippedCount(CacheOperation.PUT)).isEqualTo(2);
		assertThat(this.outage.isOngoing()).isTrue();
		assertThat(this.outage.outages()).isEqualTo(1);
	}

	@Test
	void endsTheOutageOnTheFirstSuccess() {
		given(this.delegate.get("c", KEY)).willThrow(new RedisConnectionFailureException("down")).willReturn(VALUE);
		assertThat(this.writer.get("c", KEY)).isNull();
		assertThat(this.outage.isOngoing()).isTrue();
		assertThat(this.writer.get("c", KEY)).isEqualTo(VALUE);
		assertThat(this.outage.isOngoing()).isFalse();
		given(this.delegate.get("c", KEY)).willThrow(new RedisConnectionFailureException("down again"));
		this.writer.get("c", KEY);
		assertThat(this.outage.outages()).isEqualTo(2);
	}

	@Test
	void neverHidesFailuresOfTheApplication() {
		given(this.delegate.get("c", KEY)).willThrow(new SerializationException("cannot read"));
		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> this.writer.get("c", KEY));
		assertThat(this.outage.isOngoing()).isFalse();
	}

	@Test
	void runsTheValueLoaderOnceWhenRedisFailsAfterLoading() {
		AtomicInteger loads = new AtomicInteger();
		given(this.delegate.get(eq("c"), eq(KEY), any(), eq(Duration.ofMinutes(1)), anyBoolean()))
			.willAnswer((invocation) -> {
				invocation.<java.util.function.Supplier<byte[]>>getArgument(2).get();
				throw new RedisConnectionFailureException("lost while storing");
			});
		byte[] value = this.writer.get("c", KEY, () -> {
			loads.incrementAndGet();
			return VALUE;
		}, Duration.ofMinutes(1), false);
		assertThat(value).isEqualTo(VALUE);
		assertThat(loads).hasValue(1);
	}

	@Test
	void loadsTheValueWhenRedisFailsBeforeLoading() {
		given(this.delegate.get(eq("c"), eq(KEY), any(), any(), anyBoolean()))
			.willThrow(new RedisConnectionFailureException("down"));
		assertThat(this.writer.get("c", KEY, () -> VALUE, null, false)).isEqualTo(VALUE);
	}

	@Test
	void letsTheLoadersOwnFailurePropagate() {
		ValueRetrievalException loaderFailure = new ValueRetrievalException("k", () -> null,
				new IllegalStateException("database down"));
		given(this.delegate.get(eq("c"), eq(KEY), any(), any(), anyBoolean())).willThrow(loaderFailure);
		assertThatExceptionOfType(ValueRetrievalException.class)
			.isThrownBy(() -> this.writer.get("c", KEY, () -> VALUE, null, false));
	}

	@Test
	void asyncRetrievalFailsOpen() {
		given(this.delegate.retrieve("c", KEY, null))
			.willReturn(CompletableFuture.failedFuture(new RedisCommandTimeoutException("timed out")));
		assertThat(this.writer.retrieve("c", KEY, null).join()).isNull();
		assertThat(this.outage.skippedCount(CacheOperation.GET)).isEqualTo(1);
	}

	@Test
	void keepsFailingOpenWithStatistics() {
		RedisCacheWriter withStatistics = mock(RedisCacheWriter.class);
		given(this.delegate.withStatisticsCollector(any())).willReturn(withStatistics);
		assertThat(this.writer.withStatisticsCollector(
				org.springframework.data.redis.cache.CacheStatisticsCollector.create()))
			.isInstanceOfSatisfying(FailOpenRedisCacheWriter.class,
					(writer) -> assertThat(writer.getDelegate()).isSameAs(withStatistics));
	}

}
