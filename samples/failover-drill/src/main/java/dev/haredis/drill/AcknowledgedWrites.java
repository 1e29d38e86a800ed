package dev.haredis.drill;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

import dev.haredis.test.RedisProcess;

/**
 * Which acknowledged writes a master holds at the end of a round.
 */
final class AcknowledgedWrites {

	private AcknowledgedWrites() {
	}

	/**
	 * Look the acknowledged writes up on a master, with {@code MGET}s of 500 keys (on a cluster the keys share a
	 * hash tag, so one slot).
	 * @param master the master
	 * @param outcomes the writes
	 * @param key the key of a write, by its sequence number
	 * @return the sequence numbers of the acknowledged writes it holds
	 */
	static Set<Long> presentOn(RedisProcess master, List<WriteOutcome> outcomes, LongFunction<String> key) {
		List<Long> acknowledged = outcomes.stream()
			.filter(WriteOutcome::acknowledged)
			.map(WriteOutcome::sequence)
			.toList();
		Set<Long> present = new HashSet<>();
		for (int from = 0; from < acknowledged.size(); from += 500) {
			List<Long> batch = acknowledged.subList(from, Math.min(acknowledged.size(), from + 500));
			List<String> command = new ArrayList<>(List.of("MGET"));
			batch.forEach((sequence) -> command.add(key.apply(sequence)));
			List<?> values = (List<?>) master.command(command.toArray(String[]::new));
			for (int i = 0; i < batch.size(); i++) {
				if (values.get(i) != null) {
					present.add(batch.get(i));
				}
			}
		}
		return present;
	}

}
