package dev.haredis.sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.haredis.messaging.MessagesMayHaveBeenMissedEvent;

/**
 * A chat room over Redis pub/sub: {@code POST /chat} publishes a message, {@code GET /chat} shows the last ones this
 * instance received and, after a failover, how long the subscription was away.
 * <p>
 * <b>Demo only.</b> It publishes any message from anyone to every instance. Anyone who can reach the port can call it:
 * a real application puts its write endpoints behind authentication (Spring Security) and limits what they accept
 * (size, rate).
 */
@RestController
class ChatController {

	private static final String CHANNEL = "sample:chat";

	private static final int KEPT = 50;

	private final StringRedisTemplate redis;

	private final Deque<String> received = new ArrayDeque<>();

	private volatile MessagesMayHaveBeenMissedEvent lastGap;

	ChatController(StringRedisTemplate redis, RedisMessageListenerContainer container) {
		this.redis = redis;
		container.addMessageListener(
				(message, pattern) -> receive(new String(message.getBody(), StandardCharsets.UTF_8)),
				new ChannelTopic(CHANNEL));
	}

	// Demo write endpoint: unauthenticated, see the class comment.
	// Plain text only: a form body (curl -d without a content type) would arrive encoded, "hello+all=".
	@PostMapping(path = "/chat", consumes = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<Void> post(@RequestBody String message) {
		this.redis.convertAndSend(CHANNEL, message);
		return ResponseEntity.accepted().build();
	}

	@GetMapping("/chat")
	Map<String, Object> messages() {
		MessagesMayHaveBeenMissedEvent gap = this.lastGap;
		synchronized (this.received) {
			return (gap != null)
					? Map.of("messages", List.copyOf(this.received), "lastGapMillis",
							(gap.resubscribeTime() != null) ? gap.resubscribeTime().toMillis() : -1)
					: Map.of("messages", List.copyOf(this.received));
		}
	}

	@EventListener
	void onMessagesMayHaveBeenMissed(MessagesMayHaveBeenMissedEvent event) {
		if ("redisMessageListenerContainer".equals(event.container())) {
			this.lastGap = event;
		}
	}

	private void receive(String message) {
		synchronized (this.received) {
			this.received.addLast(message);
			while (this.received.size() > KEPT) {
				this.received.removeFirst();
			}
		}
	}

}
