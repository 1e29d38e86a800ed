package dev.haredis.test.history;

import java.nio.file.Path;
import java.time.Duration;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;
import dev.haredis.test.history.HistoryRecord.RoleAnswer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SentinelHistoryRecorderIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().password("data-secret").sentinelPassword("sentinel-secret"));

	@TempDir
	Path directory;

	@AfterEach
	void restore() {
		redis.topology().restore();
	}

	@Test
	void recordsAFrozenReplicaAsTimeoutsWhileTheOthersKeepAnswering() {
		LocalSentinelTopology topology = redis.topology();
		RedisProcess replica = topology.replicas().get(0);
		RedisProcess sentinel = topology.sentinels().get(0);
		Path file = this.directory.resolve("frozen-replica.jsonl");
		long frozenAt;
		long resumedAt;
		try (SentinelHistoryRecorder recorder = SentinelHistoryRecorder.builder(topology, file)
			.scenario("frozen-replica")
			.maxDuration(Duration.ofSeconds(30))
			.start()) {
			recorder.recordFor(Duration.ofSeconds(1));
			frozenAt = recorder.elapsedMillis();
			recorder.fault("SIGSTOP replica " + replica.address());
			replica.freeze();
			recorder.recordFor(Duration.ofSeconds(1));
			resumedAt = recorder.elapsedMillis();
			recorder.fault("resume: SIGCONT replica " + replica.address());
			replica.unfreeze();
			recorder.recordFor(Duration.ofSeconds(1));
		}
		SentinelHistory history = SentinelHistory.read(file);
		assertThat(history.header().redis()).matches("\\d+\\.\\d+\\.\\d+");
		assertThat(history.header().downAfterMillis()).isEqualTo(2000);
		assertThat(history.header().sentinels()).containsExactlyElementsOf(topology.sentinelAddresses());
		assertThat(history.faults()).hasSize(2);
		assertThat(history.links()).filteredOn(HistoryRecord.Link::up).hasSize(3);
		assertThat(history.roleAt(replica.address(), frozenAt - 1)).map(RoleAnswer::role).hasValue(java.util.Optional.of("slave"));
		assertThat(history.roleAt(replica.address(), resumedAt)).map(RoleAnswer::error).hasValue("timeout");
		assertThat(history.roleAt(replica.address(), resumedAt)).map(RoleAnswer::took)
			.hasValueSatisfying((took) -> assertThat(took).isBetween(200L, 1200L));
		assertThat(history.roleAt(topology.master().address(), resumedAt)).map(RoleAnswer::took)
			.hasValueSatisfying((took) -> assertThat(took).isBetween(0L, 199L));
		assertThat(history.roleAt(replica.address(), history.duration())).map(RoleAnswer::role)
			.hasValue(java.util.Optional.of("slave"));
		assertThat(history.roleAt(topology.master().address(), resumedAt)).map(RoleAnswer::role)
			.hasValue(java.util.Optional.of("master"));
		assertThat(history.sentinelAnswerAt(sentinel.address(), SentinelCommand.MYID, history.duration()))
			.get()
			.satisfies((answer) -> assertThat(answer.text()).hasValueSatisfying((id) -> assertThat(id).hasSize(40)));
		assertThat(history.sentinelAnswerAt(sentinel.address(), SentinelCommand.GET_MASTER_ADDR, history.duration())
			.flatMap(HistoryRecord.SentinelAnswer::address)).hasValue(topology.master().address());
	}

}
