package dev.haredis.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.haredis.test.LocalClusterTopology;
import dev.haredis.test.RedisProcess;

/**
 * One round of a cluster fault ({@code kill}, {@code manual}, {@code freeze}) on the master of one shard: every
 * client writes to that shard's slots and to another master's, each with a writer of its own; the timings count
 * from the replica's promotion, seen by {@link PromotionClock}; once the writers have stopped, their acknowledged
 * writes to the failed shard are looked up on its final master.
 */
final class ClusterRound {

	/** How long the clients keep writing after the promotion (kill and manual failover). */
	private static final Duration AFTER_PROMOTION = Duration.ofSeconds(12);

	/** How long a frozen master stays frozen, counted from the fault: long enough for its replica to take over. */
	private static final Duration FROZEN = Duration.ofSeconds(20);

	/** How long the clients keep writing after the frozen master wakes up. */
	private static final Duration AFTER_UNFREEZE = Duration.ofSeconds(5);

	private static final Duration PROMOTION_TIMEOUT = Duration.ofSeconds(40);

	private final LocalClusterTopology topology;

	private final Map<String, StringRedisTemplate> clients;

	ClusterRound(LocalClusterTopology topology, Map<String, StringRedisTemplate> clients) {
		this.topology = topology;
		this.clients = clients;
	}

	List<ClusterRoundResult> run(String scenario, int round) throws Exception {
		String faultedTag = tagOn(null);
		int slot = LocalClusterTopology.slot("{" + faultedTag + "}");
		RedisProcess master = this.topology.masterOf(slot);
		String otherTag = tagOn(master);
		RedisProcess replica = this.topology.replicasOf(master).get(0);
		Map<String, Writer> faulted = new LinkedHashMap<>();
		Map<String, Writer> other = new LinkedHashMap<>();
		this.clients.forEach((name, template) -> {
			faulted.put(name, new Writer(name, (sequence) -> template.opsForValue()
				.set(key(faultedTag, scenario, round, name, sequence), "1")));
			other.put(name + "-other", new Writer(name + "-other", (sequence) -> template.opsForValue()
				.set(key(otherTag, scenario, round, name, sequence), "1")));
		});
		DrillPause.pause(Duration.ofSeconds(2));
		long end;
		long fault;
		long promoted;
		try (PromotionClock clock = new PromotionClock(replica)) {
			fault = System.nanoTime();
			switch (scenario) {
				case "kill" -> master.kill();
				case "manual" -> replica.command("CLUSTER", "FAILOVER");
				case "freeze" -> master.freeze();
				default -> throw new IllegalArgumentException("Unknown cluster scenario '" + scenario + "'");
			}
			promoted = clock.awaitPromotion(PROMOTION_TIMEOUT);
		}
		if (scenario.equals("freeze")) {
			DrillPause.pauseUntil(fault + FROZEN.toNanos());
			master.unfreeze();
			end = System.nanoTime() + AFTER_UNFREEZE.toNanos();
		}
		else {
			end = promoted + AFTER_PROMOTION.toNanos();
		}
		DrillPause.pauseUntil(end);
		for (Writer writer : faulted.values()) {
			writer.close();
		}
		for (Writer writer : other.values()) {
			writer.close();
		}
		RedisProcess finalMaster = this.topology.masterOf(slot);
		List<ClusterRoundResult> results = new ArrayList<>();
		for (String name : this.clients.keySet()) {
			List<WriteOutcome> outcomes = faulted.get(name).outcomes();
			ClusterRoundResult result = ClusterRoundResult.of(scenario, round, name, outcomes,
					other.get(name + "-other").outcomes(),
					AcknowledgedWrites.presentOn(finalMaster, outcomes,
							(sequence) -> key(faultedTag, scenario, round, name, sequence)),
					fault, promoted, end);
			System.out.println(result);
			results.add(result);
		}
		return results;
	}

	/**
	 * A hash tag whose slot a master other than the given one serves (any master when none is given).
	 */
	private String tagOn(RedisProcess notThisMaster) {
		for (int i = 0;; i++) {
			String tag = "drill" + i;
			if (notThisMaster == null
					|| this.topology.masterOf(LocalClusterTopology.slot("{" + tag + "}")) != notThisMaster) {
				return tag;
			}
		}
	}

	private static String key(String tag, String scenario, int round, String client, long sequence) {
		return "{" + tag + "}:" + scenario + ":" + round + ":" + client + ":" + sequence;
	}

}
