package dev.haredis.sample;

import java.util.Map;

import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A login kept in the HTTP session, which Spring Session stores in Redis: {@code POST /login?user=alice}, then
 * {@code GET /me} with the session cookie. (A real application would check a password, with Spring Security.)
 * <p>
 * <b>Demo only.</b> It logs in whoever asks, with no password, and creates a session (a key in Redis) per call. Anyone
 * who can reach the port can call it: a real application puts its write endpoints behind authentication (Spring
 * Security) and limits what they accept (size, rate).
 */
@RestController
class SessionController {

	private static final String USER = "user";

	// Demo write endpoint: no password, unauthenticated, see the class comment.
	@PostMapping("/login")
	Map<String, String> login(@RequestParam String user, HttpSession session) {
		session.setAttribute(USER, user);
		return Map.of(USER, user);
	}

	@GetMapping("/me")
	ResponseEntity<Map<String, String>> me(HttpSession session) {
		Object user = session.getAttribute(USER);
		return (user != null) ? ResponseEntity.ok(Map.of(USER, user.toString()))
				: ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
	}

}
