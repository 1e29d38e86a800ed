package dev.haredis.messaging.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.haredis.messaging.MessagesMayHaveBeenMissedEvent;
import dev.haredis.internal.BackgroundThreads;
import dev.haredis.topology.MasterSwitchedEvent;
import dev.haredis.internal.RedisErrors;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;

/**
 * Proves that a {@link RedisMessageListenerContainer} receives again after a master switch. When the container
 * was listening, the probe subscribes it to a private channel, publishes to that channel on the new master until
 * its own message comes back, unsubscribes, and reports a {@link MessagesMayHaveBeenMissedEvent} with the time
 * that took. The connection layer closes the old master's pub/sub connection and Lettuce subscribes again on the
 * new master; this measures it end to end rather than trusting it. Nothing is subscribed outside of a switch, so
 * an application that does not use pub/sub opens no pub/sub connection.
 */
class SubscriptionRecoveryProbe implements TopologyListener, MessageListener, DisposableBean {

	private static final Log logger = LogFactory.getLog(SubscriptionRecoveryProbe.class);

	private static final Duration PUBLISH_INTERVAL = Duration.ofMillis(20);

	private final RedisConnectionFactory connectionFactory;

	private final Consumer<MessagesMayHaveBeenMissedEvent> publisher;

	private final Clock clock;

	private final Duration timeout;

	private final String containerName;

	private final RedisMessageListenerContainer container;

	private final ChannelTopic topic;

	private final byte[] channel;

	private volatile CompletableFuture<Instant> pending = new CompletableFuture<>();

	private volatile byte[] nonce = new byte[0];

	private final ExecutorService executor = Executors.newSingleThreadExecutor(BackgroundThreads.named("ha-redis-messaging-probe"));

	private final ExecutorService subscriber = Executors.newCachedThreadPool(BackgroundThreads.named("ha-redis-messaging-probe-subscribe"));

	/**
	 * Create a probe for a container.
	 * @param containerName the container's bean name, for the events
	 * @param container the container whose subscriptions to watch
	 * @param connectionFactory a factory whose connections go to the master, to publish probe messages
	 * @param publisher receives the events
	 * @param clock the clock
	 * @param timeout how long to wait for the subscriptions after a switch
	 */
	SubscriptionRecoveryProbe(String containerName, RedisMessageListenerContainer container,
			RedisConnectionFactory connectionFactory, Consumer<MessagesMayHaveBeenMissedEvent> publisher, Clock clock,
			Duration timeout) {
		this.containerName = containerName;
		this.container = container;
		this.connectionFactory = connectionFactory;
		this.publisher = publisher;
		this.clock = clock;
		this.timeout = timeout;
		String name = "ha-redis:probe:" + UUID.randomUUID();
		this.topic = new ChannelTopic(name);
		this.channel = name.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return the bean name of the container this probe watches.
	 * @return the container's bean name
	 */
	String getContainerName() {
		return this.containerName;
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		// Nothing was received before the switch, so nothing can have been missed.
		if (event instanceof MasterSwitchedEvent switched && this.container.isRunning()
				&& this.container.isListening()) {
			BackgroundThreads.executeUnlessStopping(this.executor, () -> probe(switched));
		}
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		if (Arrays.equals(message.getBody(), this.nonce)) {
			this.pending.complete(this.clock.instant());
		}
	}

	private void probe(MasterSwitchedEvent switched) {
		CompletableFuture<Instant> received = new CompletableFuture<>();
		this.pending = received;
		this.nonce = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
		// Subscribing waits, without a time limit, for the container's connection to be back: wait on our terms.
		CompletableFuture<Void> subscribed = CompletableFuture
			.runAsync(() -> this.container.addMessageListener(this, this.topic), this.subscriber);
		try {
			awaitProbe(switched, received);
		}
		finally {
			subscribed.whenComplete((done, failure) -> this.container.removeMessageListener(this, this.topic));
		}
	}

	private void awaitProbe(MasterSwitchedEvent switched, CompletableFuture<Instant> received) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		String problem = null;
		while (!received.isDone() && System.nanoTime() < deadline) {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				connection.publish(this.channel, this.nonce);
			}
			catch (RuntimeException ex) {
				problem = RedisErrors.describe(ex);
			}
			try {
				received.get(PUBLISH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				// Publish again: the subscription may not have been back for the last one.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException(ex);
			}
		}
		Instant resumedAt = received.getNow(null);
		MessagesMayHaveBeenMissedEvent event = new MessagesMayHaveBeenMissedEvent(this.containerName,
				switched.from(), switched.to(), switched.at(), resumedAt);
		if (resumedAt != null) {
			logger.warn("Pub/sub subscriptions of '" + this.containerName + "' receive again on " + switched.to() + ", "
					+ event.resubscribeTime().toMillis() + "ms after the switch from " + switched.from()
					+ "; messages published during the switch may have been missed");
		}
		else {
			logger.error("Pub/sub subscriptions of '" + this.containerName + "' did not receive on the new master " + switched.to() + " within "
					+ this.timeout.toMillis() + "ms of the switch" + ((problem != null) ? " (" + problem + ")" : ""));
		}
		this.publisher.accept(event);
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
		this.subscriber.shutdownNow();
	}

}
