package dev.haredis.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.cluster.ClusterPushHandler;
import io.lettuce.core.cluster.StatefulRedisClusterConnectionImpl;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.json.JsonParser;
import io.lettuce.core.protocol.RedisCommand;

/**
 * A cluster connection whose commands are sent again while the cluster refuses them for a moment
 * ({@link ClusterDownRetry}).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class HaRedisClusterConnection<K, V> extends StatefulRedisClusterConnectionImpl<K, V> {

	private final Duration retryWhileDown;

	HaRedisClusterConnection(RedisChannelWriter writer, ClusterPushHandler pushHandler, RedisCodec<K, V> codec,
			Duration timeout, Supplier<JsonParser> parser, Duration retryWhileDown) {
		super(writer, pushHandler, codec, timeout, parser);
		this.retryWhileDown = retryWhileDown;
	}

	@Override
	public <T> RedisCommand<K, V, T> dispatch(RedisCommand<K, V, T> command) {
		return super.dispatch(retrying(command));
	}

	@Override
	public Collection<RedisCommand<K, V, ?>> dispatch(Collection<? extends RedisCommand<K, V, ?>> commands) {
		List<RedisCommand<K, V, ?>> retrying = new ArrayList<>(commands.size());
		commands.forEach((command) -> retrying.add(retrying(command)));
		return super.dispatch(retrying);
	}

	private <T> RedisCommand<K, V, T> retrying(RedisCommand<K, V, T> command) {
		if (this.retryWhileDown.isZero() || command instanceof ClusterDownRetry) {
			return command;
		}
		return new ClusterDownRetry<>(command, this.retryWhileDown, (again) -> getChannelWriter().write(again),
				getResources());
	}

}
