package dev.haredis.durability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Runs writes that must survive a failover: after the callback, {@code WAIT} makes the master confirm that at least
 * {@code minReplicas} replicas have every write of that connection, and a {@link WriteNotReplicatedException} is
 * thrown when they do not within the timeout. A write is therefore either acknowledged and on enough replicas, or
 * reported as at risk; never acknowledged and silently lost.
 * <p>
 * {@code WAIT} blocks the connection it runs on, so the writes run on dedicated connections of their own, never on
 * the application's shared connection:
 *
 * <pre class="code">
 * durableWrites.execute((operations) -&gt; {
 *     operations.opsForValue().set("order:42", json);
 *     return null;
 * });
 * </pre>
 */
public class DurableWrites implements InitializingBean, DisposableBean {

	private final LettuceConnectionFactory connectionFactory;

	private final StringRedisTemplate template;

	private final int minReplicas;

	private final Duration timeout;

	/**
	 * Create a new instance.
	 * @param connectionFactory a factory of dedicated (not shared) connections to the master, owned by this object
	 * @param minReplicas how many replicas must acknowledge each write
	 * @param timeout how long to wait for them
	 */
	public DurableWrites(LettuceConnectionFactory connectionFactory, int minReplicas, Duration timeout) {
		Assert.isTrue(!connectionFactory.getShareNativeConnection(), "'connectionFactory' must not share connections");
		Assert.isTrue(minReplicas >= 0, "'minReplicas' must not be negative");
		this.connectionFactory = connectionFactory;
		this.template = new StringRedisTemplate(connectionFactory);
		// Callbacks get the LettuceConnection itself (not a proxy), to run WAIT with an integer output.
		this.template.setExposeConnection(true);
		this.minReplicas = minReplicas;
		this.timeout = timeout;
	}

	/**
	 * Run writes with string keys and values on one connection, then wait for the replicas.
	 * @param <T> the result type
	 * @param writes the writes
	 * @return what the writes returned
	 * @throws WriteNotReplicatedException when too few replicas acknowledged the writes in time
	 */
	public <T> @Nullable T execute(DurableCallback<T> writes) {
		return this.template.execute(new SessionCallback<T>() {

			@Override
			@SuppressWarnings("unchecked")
			public <K, V> @Nullable T execute(RedisOperations<K, V> operations) throws DataAccessException {
				T result = writes.execute((RedisOperations<String, String>) operations);
				awaitReplicas(operations.execute((RedisCallback<Long>) DurableWrites.this::waitForReplicas));
				return result;
			}

		});
	}

	/**
	 * Run writes on a raw connection, then wait for the replicas.
	 * @param <T> the result type
	 * @param writes the writes
	 * @return what the writes returned
	 * @throws WriteNotReplicatedException when too few replicas acknowledged the writes in time
	 */
	public <T> @Nullable T executeOnConnection(RedisCallback<T> writes) {
		return this.template.execute((RedisConnection connection) -> {
			T result = writes.doInRedis(connection);
			awaitReplicas(waitForReplicas(connection));
			return result;
		});
	}

	private Long waitForReplicas(RedisConnection connection) {
		byte[][] args = { bytes(Integer.toString(this.minReplicas)), bytes(Long.toString(this.timeout.toMillis())) };
		// WAIT answers with an integer, which the generic execute(String, byte[]...) cannot decode.
		Object acknowledged = (connection instanceof LettuceConnection lettuce)
				? lettuce.execute("WAIT", new IntegerOutput<>(ByteArrayCodec.INSTANCE), args)
				: connection.execute("WAIT", args);
		return (acknowledged instanceof Number number) ? number.longValue() : 0L;
	}

	private void awaitReplicas(@Nullable Long acknowledged) {
		long count = (acknowledged != null) ? acknowledged : 0;
		if (count < this.minReplicas) {
			throw new WriteNotReplicatedException(this.minReplicas, count, this.timeout);
		}
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Return how many replicas each write needs.
	 * @return the minimum number of replicas
	 */
	public int getMinReplicas() {
		return this.minReplicas;
	}

	@Override
	public void afterPropertiesSet() {
		this.connectionFactory.afterPropertiesSet();
	}

	@Override
	public void destroy() {
		this.connectionFactory.destroy();
	}

	/**
	 * Writes to run durably.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	public interface DurableCallback<T> {

		/**
		 * Run the writes.
		 * @param operations operations bound to one dedicated connection
		 * @return a result, or {@code null}
		 */
		@Nullable T execute(RedisOperations<String, String> operations);

	}

}
