package dev.haredis.connection;

import io.lettuce.core.resource.ClientResources;

import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologySnapshot;

/**
 * The client resources every ha-redis connection factory uses: the application's shared event loops, with
 * addresses resolved through the {@link SentinelTopology}, connections tracked so that a master switch closes
 * those to the old master, and reconnections kept prompt while the master is in doubt. One per application,
 * shared by all factories.
 */
public class MasterRouting {

	private final ClientResources clientResources;

	private final MasterChannelTracker tracker;

	/**
	 * Create the routing for a topology and register it as a listener of the topology.
	 * @param topology where the master is
	 * @param shared the application's client resources, whose event loops are shared
	 */
	public MasterRouting(SentinelTopology topology, ClientResources shared) {
		this.tracker = new MasterChannelTracker(topology, shared.nettyCustomizer());
		this.clientResources = new RoutedClientResources(shared,
				new MasterRoutingSocketAddressResolver(topology, shared.socketAddressResolver()), this.tracker,
				() -> new FailoverAwareDelay(shared.reconnectDelay(), () -> masterInDoubt(topology)));
		topology.addListener(this.tracker);
	}

	private static boolean masterInDoubt(SentinelTopology topology) {
		TopologySnapshot snapshot = topology.getSnapshot();
		return !snapshot.masterVerified() || snapshot.failoverInProgress();
	}

	/**
	 * Return the client resources for connection factories.
	 * @return the routed client resources
	 */
	public ClientResources getClientResources() {
		return this.clientResources;
	}

	/**
	 * Return the connection tracker.
	 * @return the tracker
	 */
	public MasterChannelTracker getTracker() {
		return this.tracker;
	}

}
