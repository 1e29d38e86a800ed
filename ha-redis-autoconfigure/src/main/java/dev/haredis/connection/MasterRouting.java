package dev.haredis.connection;

import io.lettuce.core.resource.ClientResources;

import org.springframework.core.Ordered;

import dev.haredis.topology.SentinelTopology;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;
import dev.haredis.topology.TopologySnapshot;

/**
 * The client resources every ha-redis connection factory uses: the application's shared event loops, with
 * addresses resolved through the {@link SentinelTopology}, connections tracked so that a master switch closes
 * those to the old master, and reconnections kept prompt while the master is in doubt. One per application,
 * shared by all factories. As a {@link TopologyListener} it comes first ({@link TopologyListener#CONNECTIONS}): the
 * old master's connections are closed before anyone else hears of a switch.
 */
public class MasterRouting implements TopologyListener, Ordered {

	private final ClientResources clientResources;

	private final MasterChannelTracker tracker;

	/**
	 * Create the routing for a topology.
	 * @param topology where the master is
	 * @param shared the application's client resources, whose event loops are shared
	 */
	public MasterRouting(SentinelTopology topology, ClientResources shared) {
		this(topology, shared, WriteGate.OPEN);
	}

	/**
	 * Create the routing for a topology, with writes going only while a gate allows them.
	 * @param topology where the master is
	 * @param shared the application's client resources, whose event loops are shared
	 * @param writeGate whether writes may go now (the replication fence)
	 */
	public MasterRouting(SentinelTopology topology, ClientResources shared, WriteGate writeGate) {
		this.tracker = new MasterChannelTracker(topology, shared.nettyCustomizer(), writeGate);
		this.clientResources = new RoutedClientResources(shared,
				new MasterRoutingSocketAddressResolver(topology, shared.socketAddressResolver()), this.tracker,
				() -> new FailoverAwareDelay(shared.reconnectDelay(), () -> masterInDoubt(topology)));
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		this.tracker.onTopologyEvent(event);
	}

	@Override
	public int getOrder() {
		return CONNECTIONS;
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
	 * Return how many connections of the application's factories are open to a node: none to an old master once a
	 * {@link dev.haredis.topology.MasterSwitchedEvent} reaches the purposes and the application. For diagnostics and
	 * tests.
	 * @param node the node
	 * @return the number of open connections to it
	 */
	public int openConnectionsTo(dev.haredis.topology.NodeAddress node) {
		return this.tracker.openConnectionsTo(node);
	}

	/**
	 * Return the connection tracker.
	 * @return the tracker
	 */
	MasterChannelTracker getTracker() {
		return this.tracker;
	}

}
