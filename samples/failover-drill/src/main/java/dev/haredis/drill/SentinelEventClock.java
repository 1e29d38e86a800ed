package dev.haredis.drill;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Records when the sentinels first publish {@code +switch-master} after a fault, independently of the clients.
 */
final class SentinelEventClock implements AutoCloseable {

	private final RedisClient client = RedisClient.create();

	private final List<StatefulRedisPubSubConnection<String, String>> connections;

	private final AtomicLong switchedAt = new AtomicLong();

	SentinelEventClock(List<String> sentinels) {
		this.connections = sentinels.stream().map((address) -> {
			String[] parts = address.split(":");
			StatefulRedisPubSubConnection<String, String> connection = this.client
				.connectPubSub(RedisURI.create(parts[0], Integer.parseInt(parts[1])));
			connection.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, String message) {
					SentinelEventClock.this.switchedAt.compareAndSet(0, System.nanoTime());
				}

			});
			connection.sync().subscribe("+switch-master");
			return connection;
		}).toList();
	}

	void reset() {
		this.switchedAt.set(0);
	}

	/**
	 * Return when {@code +switch-master} was first received since the last reset, or 0.
	 */
	long switchedAt() {
		return this.switchedAt.get();
	}

	@Override
	public void close() {
		this.connections.forEach(StatefulRedisPubSubConnection::close);
		this.client.shutdown();
	}

}
