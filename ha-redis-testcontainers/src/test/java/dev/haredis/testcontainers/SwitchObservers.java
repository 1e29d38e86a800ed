package dev.haredis.testcontainers;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

import dev.haredis.connection.MasterRouting;
import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;

/**
 * An application's listeners, a {@link TopologyListener} bean and an {@code @EventListener}, that look, when they
 * hear of a switch, at what the application relies on then: no connection of any factory still leads to the old
 * master, and the purposes' listeners heard of it first.
 */
class SwitchObservers implements TopologyListener {

	private final MasterRouting routing;

	private final PurposeProbe purposes;

	private final List<Observation> observations = new CopyOnWriteArrayList<>();

	SwitchObservers(MasterRouting routing, PurposeProbe purposes) {
		this.routing = routing;
		this.purposes = purposes;
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		if (event instanceof MasterSwitchedEvent switched) {
			observe("TopologyListener", switched);
		}
	}

	@EventListener
	void on(MasterSwitchedEvent switched) {
		observe("@EventListener", switched);
	}

	private void observe(String listener, MasterSwitchedEvent switched) {
		this.observations.add(new Observation(listener, Thread.currentThread().getName(), switched,
				this.routing.openConnectionsTo(switched.from()), this.purposes.heard().contains(switched)));
	}

	List<Observation> observations() {
		return this.observations;
	}

	/**
	 * What one listener saw when it heard of a switch.
	 *
	 * @param listener which listener
	 * @param thread the thread it was told on
	 * @param switched the switch
	 * @param connectionsToOldMaster the factories' connections still open to the old master
	 * @param purposesHeardFirst whether a listener of the purposes' order had heard of it already
	 */
	record Observation(String listener, String thread, MasterSwitchedEvent switched, int connectionsToOldMaster,
			boolean purposesHeardFirst) {

	}

	/**
	 * A listener in the purposes' place ({@link TopologyListener#PURPOSES}).
	 */
	@Order(TopologyListener.PURPOSES)
	static class PurposeProbe implements TopologyListener {

		private final List<MasterSwitchedEvent> heard = new CopyOnWriteArrayList<>();

		@Override
		public void onTopologyEvent(TopologyEvent event) {
			if (event instanceof MasterSwitchedEvent switched) {
				this.heard.add(switched);
			}
		}

		List<MasterSwitchedEvent> heard() {
			return this.heard;
		}

	}

}
