package dev.haredis.topology;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What the listeners were last told about the sentinels and the topology's health, so that each change is
 * published once: a sentinel lost or regained, the topology degraded or recovered. Part of the
 * {@link TopologyCore}: no I/O.
 */
final class SentinelReachability {

	private static final Log logger = LogFactory.getLog(SentinelReachability.class);

	private final String masterName;

	private final Set<NodeAddress> lost = new HashSet<>();

	private TopologyHealth lastHealth = TopologyHealth.UP;

	private List<String> lastProblems = List.of();

	SentinelReachability(String masterName) {
		this.masterName = masterName;
	}

	/**
	 * Publish the sentinels lost or regained since the last check.
	 * @param views what the followed sentinels answered
	 * @param followed the sentinels followed now
	 * @param now when
	 * @param decisions where the events go
	 */
	void track(List<SentinelView> views, List<NodeAddress> followed, Instant now, List<TopologyDecision> decisions) {
		for (SentinelView view : views) {
			if (!view.reachable() && this.lost.add(view.sentinel())) {
				decisions.add(new TopologyDecision.Publish(
						new SentinelLostEvent(view.sentinel(), Objects.requireNonNull(view.problem()), now)));
			}
			else if (view.reachable() && this.lost.remove(view.sentinel())) {
				decisions.add(new TopologyDecision.Publish(new SentinelRegainedEvent(view.sentinel(), now)));
			}
		}
		this.lost.retainAll(Set.copyOf(followed));
	}

	/**
	 * Publish the snapshot's health if it changed.
	 * @param snapshot the snapshot
	 * @param now when
	 * @param decisions where the event goes
	 */
	void health(TopologySnapshot snapshot, Instant now, List<TopologyDecision> decisions) {
		TopologyHealth health = snapshot.health();
		List<String> problems = snapshot.problems();
		if (health == this.lastHealth && problems.equals(this.lastProblems)) {
			return;
		}
		this.lastHealth = health;
		this.lastProblems = problems;
		if (health == TopologyHealth.UP) {
			logger.info("Topology of '" + this.masterName + "' is healthy again");
			decisions.add(new TopologyDecision.Publish(new TopologyRecoveredEvent(now)));
		}
		else {
			logger.warn("Topology of '" + this.masterName + "' is " + health + ": " + String.join("; ", problems));
			decisions.add(new TopologyDecision.Publish(new TopologyDegradedEvent(health, problems, now)));
		}
	}

}
