package dev.haredis.sample;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's users across a {@code kill -9} of the master: still logged in, prices still served, chat still
 * delivered. Has a topology of its own, as it kills the master.
 */
// The sample shows health details only to authorized users; these tests read them.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.health.show-details=always")
@Import(LocalSentinelTopologyConfiguration.class)
@DirtiesContext
class SampleFailoverIntegrationTests {

	private static final Duration RECOVERY = Duration.ofSeconds(5);

	@LocalServerPort
	private int port;

	private SampleClient app;

	@Autowired
	private LocalSentinelTopology topology;

	@AfterEach
	void restore() {
		this.topology.restore();
	}

	@BeforeEach
	void connect() {
		this.app = new SampleClient(this.port);
	}

	@Test
	void usersStayLoggedInAndTheAppKeepsWorkingAcrossAKilledMaster() throws Exception {
		assertThat(this.app.post("/login?user=alice", "").statusCode()).isEqualTo(200);
		assertThat(this.app.get("/me").body()).contains("\"user\":\"alice\"");
		String price = this.app.get("/prices/apple").body();
		assertThat(this.app.get("/prices/apple").body()).as("served from the cache").isEqualTo(price);
		this.app.post("/chat", "before");
		await().atMost(RECOVERY).until(() -> this.app.get("/chat").body().contains("before"));
		RedisProcess replica = this.topology.replicas().get(0);
		// The session must have reached the replica before the master dies (replication is asynchronous).
		await().atMost(RECOVERY).until(() -> !String.valueOf(replica.commandInDatabase(2, "KEYS", "spring:session:sessions:*"))
			.equals("[]"));

		RedisProcess killed = this.topology.killMaster();
		this.topology.awaitNewMaster(killed, Duration.ofSeconds(30));

		await().atMost(RECOVERY).untilAsserted(() -> {
			HttpResponse<String> me = this.app.get("/me");
			assertThat(me.statusCode()).isEqualTo(200);
			assertThat(me.body()).contains("\"user\":\"alice\"");
		});
		assertThat(this.app.get("/prices/apple").statusCode()).isEqualTo(200);
		await().atMost(RECOVERY).untilAsserted(() -> {
			this.app.post("/chat", "after");
			assertThat(this.app.get("/chat").body()).contains("after").contains("lastGapMillis");
		});
		assertThat(this.app.get("/actuator/health").body()).contains("\"redisSentinel\"");
	}

}
