package dev.haredis.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
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

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();

	@LocalServerPort
	private int port;

	@Autowired
	private LocalSentinelTopology topology;

	@AfterEach
	void restore() {
		this.topology.restore();
	}

	@Test
	void usersStayLoggedInAndTheAppKeepsWorkingAcrossAKilledMaster() throws Exception {
		assertThat(post("/login?user=alice", "").statusCode()).isEqualTo(200);
		assertThat(get("/me").body()).contains("\"user\":\"alice\"");
		String price = get("/prices/apple").body();
		assertThat(get("/prices/apple").body()).as("served from the cache").isEqualTo(price);
		post("/chat", "before");
		await().atMost(RECOVERY).until(() -> get("/chat").body().contains("before"));
		RedisProcess replica = this.topology.replicas().get(0);
		// The session must have reached the replica before the master dies (replication is asynchronous).
		await().atMost(RECOVERY).until(() -> !String.valueOf(replica.commandInDatabase(2, "KEYS", "spring:session:sessions:*"))
			.equals("[]"));

		RedisProcess killed = this.topology.killMaster();
		this.topology.awaitNewMaster(killed, Duration.ofSeconds(30));

		await().atMost(RECOVERY).untilAsserted(() -> {
			HttpResponse<String> me = get("/me");
			assertThat(me.statusCode()).isEqualTo(200);
			assertThat(me.body()).contains("\"user\":\"alice\"");
		});
		assertThat(get("/prices/apple").statusCode()).isEqualTo(200);
		await().atMost(RECOVERY).untilAsserted(() -> {
			post("/chat", "after");
			assertThat(get("/chat").body()).contains("after").contains("lastGapMillis");
		});
		assertThat(get("/actuator/health").body()).contains("\"redisSentinel\"");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
