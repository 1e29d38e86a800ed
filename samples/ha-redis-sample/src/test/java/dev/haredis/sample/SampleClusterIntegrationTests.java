package dev.haredis.sample;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import dev.haredis.test.LocalClusterTopology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample with the {@code cluster} profile, against a real local Redis Cluster it starts itself: values, tasks,
 * chat, sessions and health work as on Sentinel, each purpose under its own prefix on database 0.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.health.group.all.include=*",
				"management.endpoint.health.group.all.show-details=always" })
@ActiveProfiles("cluster")
@Import(LocalClusterTopologyConfiguration.class)
class SampleClusterIntegrationTests {

	// Keeps the session cookie.
	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	@LocalServerPort
	private int port;

	@Autowired
	private LocalClusterTopology topology;

	@Test
	void valuesTasksChatAndHealthWorkOnACluster() throws Exception {
		HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/values/greeting"))
			.PUT(HttpRequest.BodyPublishers.ofString("hello"))
			.build());
		assertThat(put.statusCode()).isEqualTo(204);
		assertThat(send(HttpRequest.newBuilder(uri("/values/greeting")).build()).body()).isEqualTo("hello");
		assertThat(this.topology.masterOf(LocalClusterTopology.slot("sample:values:greeting"))
			.command("GET", "sample:values:greeting")).isEqualTo("hello");

		HttpResponse<String> enqueued = send(HttpRequest.newBuilder(uri("/tasks/welcome?user=alice"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(enqueued.statusCode()).isEqualTo(200);
		String id = enqueued.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
		assertThat(id).startsWith("welcome:");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(send(HttpRequest.newBuilder(uri("/tasks/" + id)).build()).body())
				.contains("\"state\":\"SUCCESS\"")
				.contains("Welcome, alice"));

		send(HttpRequest.newBuilder(uri("/chat"))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("hello all"))
			.build());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(send(HttpRequest.newBuilder(uri("/chat")).build()).body())
				.contains("\"hello all\""));

		assertThat(send(HttpRequest.newBuilder(uri("/login?user=alice"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build()).statusCode()).isEqualTo(200);
		assertThat(send(HttpRequest.newBuilder(uri("/me")).build()).body()).contains("alice");
		assertThat(this.topology.nodes().stream().filter((node) -> node.isAlive() && "master".equals(node.role()))
			.mapToLong((node) -> ((List<?>) node.command("KEYS", "web:spring:session:sessions:*")).size())
			.sum()).as("sessions under the session key prefix").isPositive();

		HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health/all")).build());
		assertThat(health.body()).contains("\"status\":\"UP\"")
			.contains("\"redisCluster\"")
			.contains("\"slotsAssigned\":16384")
			.doesNotContain("\"redisSentinel\"");
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
