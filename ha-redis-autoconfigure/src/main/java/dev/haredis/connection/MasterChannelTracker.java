package dev.haredis.connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;

/**
 * Knows every open connection of the application's connection factories and closes those that do not lead to the
 * current master: all of them when the master switches (shared, pooled, pub/sub and blocking connections alike),
 * and any new one that finished connecting to a master that was replaced meanwhile. Lettuce then reconnects, and
 * {@link MasterRoutingSocketAddressResolver} sends it to the new master; pub/sub connections subscribe again.
 */
class MasterChannelTracker implements NettyCustomizer, TopologyListener {

	private static final Log logger = LogFactory.getLog(MasterChannelTracker.class);

	private final SentinelTopology topology;

	private final NettyCustomizer delegate;

	private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ResolvedMaster current;

	/**
	 * Create a new instance.
	 * @param topology where the master is
	 * @param delegate the customizer the client resources had before
	 */
	MasterChannelTracker(SentinelTopology topology, NettyCustomizer delegate) {
		this.topology = topology;
		this.delegate = delegate;
	}

	@Override
	public void afterBootstrapInitialized(Bootstrap bootstrap) {
		this.delegate.afterBootstrapInitialized(bootstrap);
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		this.delegate.afterChannelInitialized(channel);
		this.channels.add(channel);
		channel.closeFuture().addListener((future) -> this.channels.remove(channel));
		channel.pipeline().addFirst(new StaleMasterGuard());
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		if (event instanceof MasterSwitchedEvent switched) {
			this.current = ResolvedMaster.of(switched.to());
			int closed = 0;
			for (Channel channel : this.channels) {
				if (channel.isActive() && !leadsToMaster(channel.remoteAddress())) {
					channel.close();
					closed++;
				}
			}
			logger.info("Closed " + closed + " connection(s) to the old master " + switched.from()
					+ "; they reconnect to " + switched.to());
		}
	}

	/**
	 * Return how many connections are open, for tests and diagnostics.
	 * @return the number of open connections
	 */
	public int openConnections() {
		return (int) this.channels.stream().filter(Channel::isActive).count();
	}

	private boolean leadsToMaster(@Nullable SocketAddress remote) {
		ResolvedMaster master = this.current;
		if (master == null) {
			master = this.topology.getMaster().map((found) -> ResolvedMaster.of(found.address())).orElse(null);
			this.current = master;
		}
		return master == null || master.matches(remote);
	}

	/**
	 * Closes a connection that became active towards a master replaced while it was being opened.
	 */
	@ChannelHandler.Sharable
	private final class StaleMasterGuard extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext context) throws Exception {
			if (!leadsToMaster(context.channel().remoteAddress())) {
				logger.debug("Closing a new connection to " + context.channel().remoteAddress()
						+ ", which is no longer the master");
				context.close();
				return;
			}
			super.channelActive(context);
		}

	}

	private record ResolvedMaster(NodeAddress address, @Nullable InetAddress resolved) {

		static ResolvedMaster of(NodeAddress address) {
			try {
				return new ResolvedMaster(address, InetAddress.getByName(address.host()));
			}
			catch (UnknownHostException ex) {
				return new ResolvedMaster(address, null);
			}
		}

		boolean matches(@Nullable SocketAddress remote) {
			if (!(remote instanceof InetSocketAddress inet) || inet.getPort() != this.address.port()) {
				return remote == null;
			}
			return this.address.host().equals(inet.getHostString())
					|| (this.resolved != null && this.resolved.equals(inet.getAddress()));
		}

	}

}
