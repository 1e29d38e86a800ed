package dev.haredis.drill.chaos;

import java.util.Map;

import dev.haredis.drill.chaos.ChaosHistory.FaultKind;

/**
 * What a chaos run may show and still pass.
 *
 * @param healthToleranceMillis how long health may lag behind the truth: the refresh interval plus the sentinel
 * timeout
 * @param lagMillis how long before a fault a write may still be unreplicated, and so lost to it
 * @param settleMillis how long after a fault is healed writes may still be lost to it (the sentinels convert the old
 * master at their next {@code INFO} round)
 * @param plainLossPerFault how many plain writes each kind of fault may lose (absent: none)
 * @param threadGrowth how many more threads the end may have than the start
 * @param connectionGrowth how many more connections the end may have on a node than the start had on the most
 * loaded one
 * @param heapGrowthFactor how many times the start's heap the end may use
 */
public record ChaosBounds(long healthToleranceMillis, long lagMillis, long settleMillis, Map<FaultKind, Long> plainLossPerFault,
		int threadGrowth, int connectionGrowth, double heapGrowthFactor) {

	/**
	 * Return how many plain writes one fault of a kind may lose.
	 * @param kind the kind
	 * @return the bound
	 */
	long plainLoss(FaultKind kind) {
		return this.plainLossPerFault.getOrDefault(kind, 0L);
	}

}
