package dev.haredis.queue;

import java.time.Clock;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The queue a housekeeping step works on: its name, settings and keys, the operations on its connection factory,
 * the observer to tell and the clock. Shared by the steps of one {@link QueueHousekeeping}.
 */
final class HousekeptQueue {

	private final String name;

	private final TaskQueueSettings settings;

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final TaskQueueObserver observer;

	private final Clock clock;

	HousekeptQueue(String name, TaskQueueSettings settings, StringRedisTemplate redis, TaskQueueObserver observer,
			Clock clock) {
		this.name = name;
		this.settings = settings;
		this.keys = QueueKeys.of(settings);
		this.redis = redis;
		this.observer = observer;
		this.clock = clock;
	}

	String name() {
		return this.name;
	}

	TaskQueueSettings settings() {
		return this.settings;
	}

	StringRedisTemplate redis() {
		return this.redis;
	}

	TaskQueueObserver observer() {
		return this.observer;
	}

	Clock clock() {
		return this.clock;
	}

	String stream() {
		return this.keys.stream(this.name);
	}

	String delayed() {
		return this.keys.delayed(this.name);
	}

	String deadLetterQueue() {
		return this.keys.deadLetterQueue(this.name);
	}

	String deadLetterStream() {
		return this.keys.stream(deadLetterQueue());
	}

}
