package dev.haredis.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the local topology starts. Its faults (manual failover, kill, freeze) and that the old master comes back as
 * a replica are checked by the failover suite in ha-redis-testcontainers
 * ({@code LocalSentinelTopologyFailoverIntegrationTests}), with an application writing through them.
 */
class LocalSentinelTopologyIntegrationTests {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().password("data-secret").sentinelPassword("sentinel-secret"));

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

}
