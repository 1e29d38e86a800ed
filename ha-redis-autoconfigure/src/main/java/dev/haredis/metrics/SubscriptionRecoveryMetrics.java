package dev.haredis.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.event.EventListener;

import dev.haredis.messaging.MessagesMayHaveBeenMissedEvent;

/**
 * Micrometer meters for pub/sub across failovers:
 * <ul>
 * <li>{@code ha.redis.messaging.resubscriptions}: master switches after which the subscriptions were checked,
 * tagged {@code outcome=resumed} or {@code outcome=timed-out};</li>
 * <li>{@code ha.redis.messaging.resubscribe.time}: from the switch until the subscriptions received again, the
 * window in which published messages may have been missed.</li>
 * </ul>
 */
public class SubscriptionRecoveryMetrics implements MeterBinder {

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (String outcome : List.of("resumed", "timed-out")) {
			resubscriptions(registry, outcome);
		}
		resubscribeTime(registry);
	}

	/**
	 * Record the outcome of a master switch for the subscriptions.
	 * @param event what the probe found
	 */
	@EventListener
	public void onMessagesMayHaveBeenMissed(MessagesMayHaveBeenMissedEvent event) {
		Duration time = event.resubscribeTime();
		for (MeterRegistry registry : this.registries) {
			resubscriptions(registry, event.resumed() ? "resumed" : "timed-out").increment();
			if (time != null) {
				resubscribeTime(registry).record(time);
			}
		}
	}

	private static Counter resubscriptions(MeterRegistry registry, String outcome) {
		return Counter.builder("ha.redis.messaging.resubscriptions")
			.description("Master switches after which the pub/sub subscriptions were checked")
			.tag("outcome", outcome)
			.register(registry);
	}

	private static Timer resubscribeTime(MeterRegistry registry) {
		return Timer.builder("ha.redis.messaging.resubscribe.time")
			.description("Time from a master switch until the pub/sub subscriptions received again")
			.register(registry);
	}

}
