package dev.haredis.messaging.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.haredis.messaging.MessagesMayHaveBeenMissedEvent;
import dev.haredis.topology.TopologyEvent;
import dev.haredis.topology.TopologyListener;

/**
 * A {@link SubscriptionRecoveryProbe} for every {@link RedisMessageListenerContainer} of the application: its own,
 * ha-redis's and those of libraries (Spring Session's indexed repository listens for keyspace events with one). It
 * hands every topology event to each probe.
 */
public class SubscriptionRecoveryProbes implements TopologyListener, Ordered, SmartInitializingSingleton, DisposableBean {

	private final ListableBeanFactory beanFactory;

	private final RedisConnectionFactory connectionFactory;

	private final Consumer<MessagesMayHaveBeenMissedEvent> publisher;

	private final Duration timeout;

	private final List<SubscriptionRecoveryProbe> probes = new CopyOnWriteArrayList<>();

	/**
	 * Create a new instance.
	 * @param beanFactory where the containers are
	 * @param connectionFactory a factory whose connections go to the master, to publish probe messages
	 * @param publisher receives the events
	 * @param timeout how long to wait for the subscriptions after a switch
	 */
	public SubscriptionRecoveryProbes(ListableBeanFactory beanFactory, RedisConnectionFactory connectionFactory,
			Consumer<MessagesMayHaveBeenMissedEvent> publisher, Duration timeout) {
		this.beanFactory = beanFactory;
		this.connectionFactory = connectionFactory;
		this.publisher = publisher;
		this.timeout = timeout;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.beanFactory.getBeansOfType(RedisMessageListenerContainer.class).forEach((name, container) -> {
			SubscriptionRecoveryProbe probe = new SubscriptionRecoveryProbe(name, container, this.connectionFactory,
					this.publisher, Clock.systemUTC(), this.timeout);
			this.probes.add(probe);
		});
	}

	@Override
	public void onTopologyEvent(TopologyEvent event) {
		this.probes.forEach((probe) -> probe.onTopologyEvent(event));
	}

	@Override
	public int getOrder() {
		return PURPOSES;
	}

	/**
	 * Return the bean names of the containers probed, one probe each.
	 * @return the containers' bean names
	 */
	public List<String> getContainerNames() {
		return this.probes.stream().map(SubscriptionRecoveryProbe::getContainerName).toList();
	}

	@Override
	public void destroy() {
		this.probes.forEach(SubscriptionRecoveryProbe::destroy);
	}

}
