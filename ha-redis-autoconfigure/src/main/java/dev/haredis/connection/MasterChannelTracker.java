package dev.haredis.connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.topology.NodeAddress;
import dev.haredis.topology.PromotionAnnouncedEvent;
import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;

/**
 * Knows every open connection of the application's connection factories and closes those that do not lead to the
 * current master: all of them when the master switches (shared, pooled, pub/sub and blocking connections alike),
 * and any new one that finished connecting to a master that was replaced meanwhile. Lettuce then reconnects, and
 * {@link MasterRoutingSocketAddressResolver} sends it to the new master; pub/sub connections subscribe again.
 * <p>
 * It also watches what every such connection reads ({@link ErrorReplyWatcher}): a reply saying the server is not
 * the master ({@code READONLY}, {@code LOADING}, {@code MASTERDOWN}) makes the topology check with the sentinels at
 * once, at no cost to the replies that succeed.
 */
class MasterChannelTracker implements NettyCustomizer, TopologyListener {

	private static final Log logger = LogFactory.getLog(MasterChannelTracker.class);

	/** How long a switch waits at most for the old master's connections to be closed. */
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

	private final SentinelTopology topology;

	private final NettyCustomizer delegate;

	private final @Nullable WriteGuard writeGuard;

	private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ResolvedMaster current;

	/**
	 * Create a new instance.
	 * @param topology where the master is
	 * @param delegate the customizer the client resources had before
	 */
	MasterChannelTracker(SentinelTopology topology, NettyCustomizer delegate, WriteGate writeGate) {
		this.topology = topology;
		this.delegate = delegate;
		// Without a fence, no handler at all on the write path.
		this.writeGuard = (writeGate != WriteGate.OPEN) ? new WriteGuard(writeGate) : null;
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
		// A READONLY, LOADING or MASTERDOWN reply means the master may have changed: check with the sentinels now.
		ErrorReplyWatcher.install(channel.pipeline(), this.topology::requestReconcile);
		if (this.writeGuard != null) {
			// Last in the pipeline: outbound commands reach it before Lettuce's command handler.
			channel.pipeline().addLast(this.writeGuard);
		}
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		if (event instanceof PromotionAnnouncedEvent promotion) {
			// Writes to the master being replaced would be lost: its connections close, and reconnect once the
			// promoted replica answers as master (Lettuce buffers their commands meanwhile).
			int closed = closeConnections(ResolvedMaster.of(promotion.from())::matches);
			logger.info("Closed " + closed + " connection(s) to " + promotion.from() + " while sentinel "
					+ promotion.sentinel() + " promotes " + promotion.candidate() + "; new writes wait for it");
		}
		if (event instanceof MasterSwitchedEvent switched) {
			this.current = ResolvedMaster.of(switched.to());
			// Closed before the purposes and the application hear of the switch: none of them can still reach the old
			// master through these factories.
			int closed = closeConnections((remote) -> !leadsToMaster(remote));
			logger.info("Closed " + closed + " connection(s) to the old master " + switched.from()
					+ "; they reconnect to " + switched.to());
		}
	}

	/**
	 * Close the open connections whose remote address is one to leave, and wait for them to close (microseconds on
	 * loopback; the wait is bounded).
	 */
	private int closeConnections(Predicate<@Nullable SocketAddress> toLeave) {
		List<ChannelFuture> closing = new ArrayList<>();
		for (Channel channel : this.channels) {
			if (channel.isActive() && toLeave.test(channel.remoteAddress())) {
				closing.add(channel.close());
			}
		}
		long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
		for (ChannelFuture future : closing) {
			future.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		return closing.size();
	}

	/**
	 * Return how many connections are open to a node, for tests and diagnostics.
	 * @param node the node
	 * @return the number of open connections to it
	 */
	public int openConnectionsTo(NodeAddress node) {
		ResolvedMaster target = ResolvedMaster.of(node);
		return (int) this.channels.stream()
			.filter((channel) -> channel.isActive() && target.matches(channel.remoteAddress()) && channel.remoteAddress() != null)
			.count();
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
	 * Closes a connection that became active towards a master replaced while it was being opened, or while a
	 * promotion holds new connections; before anything is sent on it, so Lettuce keeps its commands and retries.
	 */
	@ChannelHandler.Sharable
	private final class StaleMasterGuard extends ChannelInboundHandlerAdapter {

		@Override
		public void channelActive(ChannelHandlerContext context) throws Exception {
			boolean stale = !leadsToMaster(context.channel().remoteAddress());
			if (stale || MasterChannelTracker.this.topology.isHoldingConnections()) {
				logger.debug("Closing a new connection to " + context.channel().remoteAddress() + (stale
						? ", which is no longer the master" : ": writes wait for the replica a sentinel promotes"));
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
