package dev.haredis.sample;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import dev.haredis.test.LocalSentinelTopology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

// The sample shows health details only to authorized users; a test-only group shows them to the tests.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.health.group.all.include=*",
				"management.endpoint.health.group.all.show-details=always" })
@Import(LocalSentinelTopologyConfiguration.class)
class HaRedisSampleApplicationIntegrationTests {

	@LocalServerPort
	private int port;

	private SampleClient app;

	@Autowired
	private LocalSentinelTopology topology;

	@BeforeEach
	void connect() {
		this.app = new SampleClient(this.port);
	}

	@Test
	void storesValuesOnTheMaster() throws Exception {
		HttpResponse<String> put = this.app.put("/values/greeting", "hello");
		assertThat(put.statusCode()).isEqualTo(204);
		assertThat(this.app.get("/values/greeting").body()).isEqualTo("hello");
		assertThat(this.topology.master().command("GET", "sample:values:greeting")).isEqualTo("hello");
	}

	@Test
	void runsATaskAndShowsItsResult() throws Exception {
		HttpResponse<String> enqueued = this.app.post("/tasks/welcome?user=alice", "");
		assertThat(enqueued.statusCode()).isEqualTo(200);
		String id = enqueued.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.app.get("/tasks/" + id).body())
				.contains("\"state\":\"SUCCESS\"")
				.contains("Welcome, alice"));
	}

	@Test
	void chatDeliversMessagesAsPosted() throws Exception {
		HttpResponse<String> posted = this.app.post("/chat", "hello all");
		assertThat(posted.statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.app.get("/chat").body())
				.contains("\"hello all\""));
	}

	@Test
	void healthShowsOnlyTheStatusToAnonymousCallers() throws Exception {
		HttpResponse<String> health = this.app.get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"")
			.doesNotContain("redisSentinel")
			.doesNotContain("mymaster")
			.doesNotContain("127.0.0.1");
	}

	@Test
	void healthIsUpWithRedis() throws Exception {
		HttpResponse<String> health = this.app.get("/actuator/health/all");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"")
			.contains("\"redis\"")
			.contains("\"redisSentinel\"")
			.contains("\"redisQueue\"")
			.contains("\"masterName\":\"mymaster\"")
			.contains("\"roleVerified\":true");
	}

}
