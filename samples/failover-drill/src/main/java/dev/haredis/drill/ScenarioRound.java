package dev.haredis.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;

/**
 * One round of a fault scenario ({@code kill}, {@code manual}, {@code freeze}, {@code partition} or
 * {@code partition-minority}): every client writes while the fault is injected, and once the writers have stopped, their acknowledged writes are looked up on the final master.
 */
final class ScenarioRound {

	/** How long the clients keep writing after {@code +switch-master} (kill and manual failover). */
	private static final Duration AFTER_SWITCH = Duration.ofSeconds(12);

	/** How long a frozen master stays frozen, counted from the fault: long enough for the sentinels to move on. */
	private static final Duration FROZEN = Duration.ofSeconds(20);

	/** How long the clients keep writing after the frozen master wakes up. */
	private static final Duration AFTER_UNFREEZE = Duration.ofSeconds(10);

	private static final Duration SWITCH_TIMEOUT = Duration.ofSeconds(40);

	/** How long a partition lasts (issue 13 measured a 20 s partition). */
	private static final Duration PARTITIONED = Duration.ofSeconds(20);

	/** How long the clients keep writing after the partition heals. */
	private static final Duration AFTER_HEAL = Duration.ofSeconds(10);

	private final LocalSentinelTopology topology;

	private final Map<String, Consumer<String>> clients;

	private final SentinelEventClock clock;

	private final Map<String, BooleanSupplier> healthUp;

	/**
	 * @param topology the topology the fault is injected into
	 * @param clients the clients' writes by name, each setting the key it is given
	 * @param clock when the sentinels announce the switch, which the timings are measured from
	 * @param healthUp whether each client's health is {@code UP}, watched during partitions
	 */
	ScenarioRound(LocalSentinelTopology topology, Map<String, Consumer<String>> clients, SentinelEventClock clock,
			Map<String, BooleanSupplier> healthUp) {
		this.topology = topology;
		this.clients = clients;
		this.clock = clock;
		this.healthUp = healthUp;
	}

	/**
	 * Run one round. The caller restores the topology afterwards.
	 * @param scenario the fault
	 * @param round the round number, part of every key so that rounds do not see each other's writes
	 * @return what each client saw, in the clients' order
	 */
	List<RoundResult> run(String scenario, int round) throws Exception {
		Map<String, Writer> writers = new LinkedHashMap<>();
		this.clients.forEach((name, client) -> writers.put(name, new Writer(name,
				(sequence) -> client.accept(key(scenario, round, name, sequence)))));
		boolean partition = scenario.startsWith("partition");
		DrillPause.pause(Duration.ofSeconds(2));
		// Started at the fault: its first poll sees UP, so what it records is the fault's doing. Its threads are
		// daemons, so a round that throws leaves nothing running.
		HealthWatch health = partition ? new HealthWatch(this.healthUp) : null;
		this.clock.reset();
		long fault = System.nanoTime();
		RedisProcess frozen = null;
		switch (scenario) {
			case "kill" -> this.topology.killMaster();
			case "manual" -> this.topology.failover();
			case "freeze" -> {
				frozen = this.topology.master();
				frozen.freeze();
			}
			// The master cut off from its replica and the sentinels; the application reaches everything.
			case "partition" -> this.topology.partitions().partitionMaster(PARTITIONED.plusSeconds(10));
			// The same, and the application cut off from the sentinels and the replica: the minority side.
			case "partition-minority" -> this.topology.partitions().partitionMasterWithApplication(PARTITIONED.plusSeconds(10));
			default -> throw new IllegalArgumentException("Unknown scenario '" + scenario + "'");
		}
		long switched;
		long end;
		if (partition) {
			DrillPause.pauseUntil(fault + PARTITIONED.toNanos());
			this.topology.partitions().heal();
			long healed = System.nanoTime();
			// On the minority side the drill's own subscription is cut off too and hears +switch-master only when its
			// stalled connection resumes, up to 10 s after the heal: the application could not follow before the
			// heal either, so its timings start there.
			switched = scenario.equals("partition-minority") ? healed : switchedOr(healed, Duration.ofSeconds(10));
			end = healed + AFTER_HEAL.toNanos();
		}
		else if (frozen != null) {
			switched = awaitSwitch(fault);
			DrillPause.pauseUntil(fault + FROZEN.toNanos());
			frozen.unfreeze();
			end = System.nanoTime() + AFTER_UNFREEZE.toNanos();
		}
		else {
			switched = awaitSwitch(fault);
			end = switched + AFTER_SWITCH.toNanos();
		}
		DrillPause.pauseUntil(end);
		for (Writer writer : writers.values()) {
			writer.close();
		}
		if (health != null) {
			health.close();
		}
		DrillPause.pause(Duration.ofSeconds(1));
		RedisProcess finalMaster = this.topology.master();
		List<RoundResult> results = new ArrayList<>();
		for (Map.Entry<String, Writer> entry : writers.entrySet()) {
			List<WriteOutcome> outcomes = entry.getValue().outcomes();
			Set<Long> present = AcknowledgedWrites.presentOn(finalMaster, outcomes,
					(sequence) -> key(scenario, round, entry.getKey(), sequence));
			long notUp = (health != null) ? health.firstNotUp(entry.getKey()) : 0;
			RoundResult result = RoundResult.of(scenario, round, entry.getKey(), outcomes, present, fault, switched, end,
					notUp);
			System.out.println(result);
			results.add(result);
		}
		return results;
	}

	private long awaitSwitch(long fault) {
		long deadline = fault + SWITCH_TIMEOUT.toNanos();
		while (this.clock.switchedAt() == 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The sentinels did not fail over within " + SWITCH_TIMEOUT);
			}
			DrillPause.pause(Duration.ofMillis(1));
		}
		return this.clock.switchedAt();
	}

	private long switchedOr(long fallback, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		while (this.clock.switchedAt() == 0 && System.nanoTime() < deadline) {
			DrillPause.pause(Duration.ofMillis(1));
		}
		return (this.clock.switchedAt() != 0) ? this.clock.switchedAt() : fallback;
	}

	private static String key(String scenario, int round, String client, long sequence) {
		return "drill:" + scenario + ":" + round + ":" + client + ":" + sequence;
	}

}
