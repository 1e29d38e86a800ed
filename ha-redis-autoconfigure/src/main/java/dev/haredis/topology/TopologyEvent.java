package dev.haredis.topology;

/**
 * Something that happened to the topology. {@link SentinelTopology} hands these to its {@link TopologyListener}s,
 * and the auto-configuration publishes them as Spring application events, so an {@code @EventListener} method can
 * take any of them.
 */
public sealed interface TopologyEvent permits SentinelEvent, MasterSwitchedEvent, SentinelLostEvent,
		SentinelRegainedEvent, TopologyDegradedEvent, TopologyRecoveredEvent, PromotionAnnouncedEvent {

}
