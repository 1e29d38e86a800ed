package dev.haredis.connection;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.event.EventBus;
import io.lettuce.core.event.EventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import io.lettuce.core.tracing.Tracing;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.Timer;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.SucceededFuture;

/**
 * The application's client resources with three things replaced: the address resolver, the Netty customizer and
 * the reconnect delay. Everything else (event loops, timer, event bus) is the application's, which owns and shuts
 * it down; shutting this view down does nothing. A view rather than {@code mutate()}: Lettuce's mutated copy
 * shares the event loops yet must itself be shut down, which would stop them under the application's feet.
 */
final class RoutedClientResources implements ClientResources {

	private final ClientResources delegate;

	private final SocketAddressResolver socketAddressResolver;

	private final NettyCustomizer nettyCustomizer;

	private final Supplier<Delay> reconnectDelay;

	RoutedClientResources(ClientResources delegate, SocketAddressResolver socketAddressResolver,
			NettyCustomizer nettyCustomizer, Supplier<Delay> reconnectDelay) {
		this.delegate = delegate;
		this.socketAddressResolver = socketAddressResolver;
		this.nettyCustomizer = nettyCustomizer;
		this.reconnectDelay = reconnectDelay;
	}

	@Override
	public SocketAddressResolver socketAddressResolver() {
		return this.socketAddressResolver;
	}

	@Override
	public NettyCustomizer nettyCustomizer() {
		return this.nettyCustomizer;
	}

	/**
	 * A new delay per call, as Lettuce asks each connection's watchdog for its own (a delay may be stateful).
	 */
	@Override
	public Delay reconnectDelay() {
		return this.reconnectDelay.get();
	}

	@Override
	public Builder mutate() {
		return this.delegate.mutate()
			.socketAddressResolver(this.socketAddressResolver)
			.nettyCustomizer(this.nettyCustomizer)
			.reconnectDelay(this.reconnectDelay);
	}

	@Override
	public Future<Boolean> shutdown() {
		return new SucceededFuture<>(GlobalEventExecutor.INSTANCE, true);
	}

	@Override
	public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit timeUnit) {
		return shutdown();
	}

	@Override
	public AddressResolverGroup<?> addressResolverGroup() {
		return this.delegate.addressResolverGroup();
	}

	@Override
	public EventPublisherOptions commandLatencyPublisherOptions() {
		return this.delegate.commandLatencyPublisherOptions();
	}

	@Override
	public CommandLatencyRecorder commandLatencyRecorder() {
		return this.delegate.commandLatencyRecorder();
	}

	@Override
	public int computationThreadPoolSize() {
		return this.delegate.computationThreadPoolSize();
	}

	@Override
	public EventBus eventBus() {
		return this.delegate.eventBus();
	}

	@Override
	public EventLoopGroupProvider eventLoopGroupProvider() {
		return this.delegate.eventLoopGroupProvider();
	}

	@Override
	public EventExecutorGroup eventExecutorGroup() {
		return this.delegate.eventExecutorGroup();
	}

	@Override
	public int ioThreadPoolSize() {
		return this.delegate.ioThreadPoolSize();
	}

	@Override
	public Timer timer() {
		return this.delegate.timer();
	}

	@Override
	public Tracing tracing() {
		return this.delegate.tracing();
	}

}
