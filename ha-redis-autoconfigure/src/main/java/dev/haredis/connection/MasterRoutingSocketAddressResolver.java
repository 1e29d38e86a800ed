package dev.haredis.connection;

import java.net.SocketAddress;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.SocketAddressResolver;

import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;

/**
 * Resolves the virtual master address ({@link #MASTER_HOST}:{@link #MASTER_PORT}) to the master the
 * {@link SentinelTopology} has verified, on every connect and reconnect. Any other address goes to the delegate.
 * <p>
 * Connection factories are configured as if for a standalone server at the virtual address, so Lettuce's own
 * reconnection always lands on the current master, TLS host name checks use the real master's name, and no
 * sentinel lookup happens inside Lettuce without a {@code ROLE} check.
 */
class MasterRoutingSocketAddressResolver extends SocketAddressResolver {

	/** The host connection factories use to mean "the current master". */
	static final String MASTER_HOST = MasterLettuceConnectionFactory.MASTER_HOST;

	/** The port that goes with {@link #MASTER_HOST}. */
	static final int MASTER_PORT = MasterLettuceConnectionFactory.MASTER_PORT;

	private final SentinelTopology topology;

	private final SocketAddressResolver delegate;

	/**
	 * Create a new instance.
	 * @param topology where the current master is
	 * @param delegate the resolver for every other address
	 */
	MasterRoutingSocketAddressResolver(SentinelTopology topology, SocketAddressResolver delegate) {
		this.topology = topology;
		this.delegate = delegate;
	}

	@Override
	public SocketAddress resolve(RedisURI redisURI) {
		if (isMaster(redisURI)) {
			NodeAddress master = this.topology.masterForNewConnection();
			return this.delegate.resolve(RedisURI.create(master.host(), master.port()));
		}
		return this.delegate.resolve(redisURI);
	}

	private static boolean isMaster(RedisURI redisURI) {
		return MASTER_HOST.equals(redisURI.getHost()) && redisURI.getPort() == MASTER_PORT;
	}

}
