package dev.haredis.sample;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Calls the running sample over HTTP as a browser would: one client, its session cookie kept between calls.
 */
final class SampleClient {

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	private final String base;

	SampleClient(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(request(path).build());
	}

	HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
	}

	HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
		return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.base + path)).header("Content-Type", "text/plain");
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
