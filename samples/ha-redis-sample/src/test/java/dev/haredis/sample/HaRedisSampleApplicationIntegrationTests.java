package dev.haredis.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private LocalSentinelTopology topology;

	@Test
	void storesValuesOnTheMaster() throws Exception {
		HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/values/greeting"))
			.PUT(HttpRequest.BodyPublishers.ofString("hello"))
			.build());
		assertThat(put.statusCode()).isEqualTo(204);
		assertThat(send(HttpRequest.newBuilder(uri("/values/greeting")).build()).body()).isEqualTo("hello");
		assertThat(this.topology.master().command("GET", "sample:values:greeting")).isEqualTo("hello");
	}

	@Test
	void runsATaskAndShowsItsResult() throws Exception {
		HttpResponse<String> enqueued = send(HttpRequest.newBuilder(uri("/tasks/welcome?user=alice"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(enqueued.statusCode()).isEqualTo(200);
		String id = enqueued.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(send(HttpRequest.newBuilder(uri("/tasks/" + id)).build()).body())
				.contains("\"state\":\"SUCCESS\"")
				.contains("Welcome, alice"));
	}

	@Test
	void chatDeliversMessagesAsPosted() throws Exception {
		HttpResponse<String> posted = send(HttpRequest.newBuilder(uri("/chat"))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("hello all"))
			.build());
		assertThat(posted.statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(send(HttpRequest.newBuilder(uri("/chat")).build()).body())
				.contains("\"hello all\""));
	}

	@Test
	void healthShowsOnlyTheStatusToAnonymousCallers() throws Exception {
		HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health")).build());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"")
			.doesNotContain("redisSentinel")
			.doesNotContain("mymaster")
			.doesNotContain("127.0.0.1");
	}

	@Test
	void healthIsUpWithRedis() throws Exception {
		HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health/all")).build());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"")
			.contains("\"redis\"")
			.contains("\"redisSentinel\"")
			.contains("\"redisQueue\"")
			.contains("\"masterName\":\"mymaster\"")
			.contains("\"roleVerified\":true");
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
