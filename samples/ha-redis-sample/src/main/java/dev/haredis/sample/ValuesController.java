package dev.haredis.sample;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reads and writes plain string values in Redis: {@code PUT /values/{key}} and {@code GET /values/{key}}.
 * <p>
 * <b>Demo only.</b> It writes any key under {@code sample:values:} with any value, unauthenticated and unbounded.
 * Anyone who can reach the port can call it: a real application puts its write endpoints behind authentication (Spring
 * Security) and limits what they accept (size, rate).
 */
@RestController
@RequestMapping("/values")
class ValuesController {

	private static final String PREFIX = "sample:values:";

	private final StringRedisTemplate redis;

	ValuesController(StringRedisTemplate redis) {
		this.redis = redis;
	}

	// Demo write endpoint: unauthenticated, see the class comment.
	@PutMapping("/{key}")
	ResponseEntity<Void> put(@PathVariable String key, @RequestBody String value) {
		this.redis.opsForValue().set(PREFIX + key, value);
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{key}")
	ResponseEntity<String> get(@PathVariable String key) {
		String value = this.redis.opsForValue().get(PREFIX + key);
		return (value != null) ? ResponseEntity.ok(value) : ResponseEntity.notFound().build();
	}

}
