package dev.haredis.sample;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.annotation.DirtiesContext;

import dev.haredis.autoconfigure.connection.HaRedisConnectionDetails;
import dev.haredis.testcontainers.LocalRedisImage;
import dev.haredis.testcontainers.RedisSentinelContainer;
import dev.haredis.testcontainers.RequiresDocker;
import dev.haredis.topology.NodeAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample against a master, replica and three sentinels in containers, wired by {@code @ServiceConnection}
 * alone: the servers announce container addresses the application cannot reach, and the connection details carry
 * the address map. The master is killed; the application recovers on the promoted replica.
 */
// The sample shows health details only to authorized users; these tests read them.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.health.show-details=always")
@Testcontainers
@RequiresDocker
@DirtiesContext
class SampleTestcontainersIntegrationTests {

	// The type keeps Spring Boot's own Redis service connection (which would match a redis:* image) out.
	@Container
	@ServiceConnection(type = HaRedisConnectionDetails.class)
	static final RedisSentinelContainer redis = new RedisSentinelContainer(LocalRedisImage.buildOnLinuxOr("redis:7.4"));

	private static final Duration RECOVERY = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	private SampleClient app;

	@BeforeEach
	void connect() {
		this.app = new SampleClient(this.port);
	}

	@Test
	void recoversOnThePromotedReplicaAfterTheMasterIsKilled() throws Exception {
		assertThat(this.app.post("/login?user=alice", "").statusCode()).isEqualTo(200);
		assertThat(this.app.put("/values/greeting", "hello").statusCode()).isEqualTo(204);
		NodeAddress master = redis.getMasterAnnouncedAddress();
		assertThat(redis.command(master.port(), "GET", "sample:values:greeting")).isEqualTo("hello");
		assertThat(this.app.get("/actuator/health").body()).contains("\"masterAnnouncedAs\":\"" + master + "\"");
		// Replication is asynchronous: the session must be on the replica before the master dies.
		NodeAddress replica = new NodeAddress(RedisSentinelContainer.ANNOUNCED_HOST, master.port() + 1);
		await().atMost(RECOVERY)
			.until(() -> "hello".equals(redis.command(replica.port(), "GET", "sample:values:greeting")));

		NodeAddress killed = redis.killMaster();
		NodeAddress promoted = redis.awaitNewMaster(killed, Duration.ofSeconds(30));

		await().atMost(RECOVERY).untilAsserted(() -> {
			assertThat(this.app.put("/values/greeting", "after the failover").statusCode()).isEqualTo(204);
			assertThat(redis.command(promoted.port(), "GET", "sample:values:greeting")).isEqualTo("after the failover");
		});
		HttpResponse<String> me = this.app.get("/me");
		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(me.body()).contains("\"user\":\"alice\"");
		await().atMost(RECOVERY)
			.untilAsserted(() -> assertThat(this.app.get("/actuator/health").body())
				.contains("\"master\":\"" + redis.getMasterAddress() + "\"")
				.contains("\"masterAnnouncedAs\":\"" + promoted + "\""));
	}

}
