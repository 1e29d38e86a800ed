package dev.haredis.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
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

	@LocalServerPort
	private int port;

	private SampleClient app;

	@Autowired
	private LocalClusterTopology topology;

	@BeforeEach
	void connect() {
		this.app = new SampleClient(this.port);
	}

	@Test
	void valuesTasksChatAndHealthWorkOnACluster() throws Exception {
		HttpResponse<String> put = this.app.put("/values/greeting", "hello");
		assertThat(put.statusCode()).isEqualTo(204);
		assertThat(this.app.get("/values/greeting").body()).isEqualTo("hello");
		assertThat(this.topology.masterOf(LocalClusterTopology.slot("sample:values:greeting"))
			.command("GET", "sample:values:greeting")).isEqualTo("hello");

		HttpResponse<String> enqueued = this.app.post("/tasks/welcome?user=alice", "");
		assertThat(enqueued.statusCode()).isEqualTo(200);
		String id = enqueued.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
		assertThat(id).startsWith("welcome:");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.app.get("/tasks/" + id).body())
				.contains("\"state\":\"SUCCESS\"")
				.contains("Welcome, alice"));

		this.app.post("/chat", "hello all");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.app.get("/chat").body())
				.contains("\"hello all\""));

		assertThat(this.app.post("/login?user=alice", "").statusCode()).isEqualTo(200);
		assertThat(this.app.get("/me").body()).contains("alice");
		assertThat(this.topology.nodes().stream().filter((node) -> node.isAlive() && "master".equals(node.role()))
			.mapToLong((node) -> ((List<?>) node.command("KEYS", "web:spring:session:sessions:*")).size())
			.sum()).as("sessions under the session key prefix").isPositive();

		HttpResponse<String> health = this.app.get("/actuator/health/all");
		assertThat(health.body()).contains("\"status\":\"UP\"")
			.contains("\"redisCluster\"")
			.contains("\"slotsAssigned\":16384")
			.doesNotContain("\"redisSentinel\"");
	}

}
