package dev.haredis.test;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LocalSentinelTopologyIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().password("data-secret").sentinelPassword("sentinel-secret"));

	@AfterEach
	void restore() {
		redis.topology().restore();
	}

	@Test
	void startsReplicatingMasterWatchedByThreeSentinels() {
		LocalSentinelTopology topology = redis.topology();
		RedisProcess master = topology.master();
		assertThat(master.role()).isEqualTo("master");
		assertThat(topology.replicas()).singleElement().satisfies((replica) -> {
			assertThat(replica.role()).isEqualTo("slave");
			assertThat(replica.port()).isNotEqualTo(master.port());
		});
		assertThat(topology.sentinelAddresses()).hasSize(3).allMatch((address) -> address.startsWith("127.0.0.1:"));
		master.command("SET", "greeting", "hello");
	}

	@Test
	void serversRequireTheirOwnPasswords() {
		RedisProcess sentinel = redis.topology().sentinels().get(0);
		assertThatExceptionOfType(RespConnection.RespErrorException.class).isThrownBy(() -> {
			try (RespConnection connection = RespConnection.open(sentinel.port(), Duration.ofSeconds(2))) {
				connection.command("SENTINEL", "MASTERS");
			}
		}).withMessageContaining("NOAUTH");
	}

	@Test
	void manualFailoverPromotesTheReplicaAndDemotesTheOldMaster() {
		LocalSentinelTopology topology = redis.topology();
		RedisProcess oldMaster = topology.failover();
		RedisProcess newMaster = topology.awaitNewMaster(oldMaster, Duration.ofSeconds(30));
		assertThat(newMaster.role()).isEqualTo("master");
		assertThat(oldMaster.isAlive()).isTrue();
	}

	@Test
	void killedMasterIsReplacedAndReturnsAsReplica() {
		LocalSentinelTopology topology = redis.topology();
		RedisProcess oldMaster = topology.killMaster();
		assertThat(oldMaster.pid()).isEqualTo(-1);
		RedisProcess newMaster = topology.awaitNewMaster(oldMaster, Duration.ofSeconds(30));
		topology.restore();
		assertThat(topology.master()).isSameAs(newMaster);
		assertThat(oldMaster.role()).isEqualTo("slave");
	}

}
