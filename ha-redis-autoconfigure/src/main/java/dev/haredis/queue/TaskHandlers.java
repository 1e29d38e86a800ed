package dev.haredis.queue;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The handlers of the application's queues, one per queue, registered with {@link TaskListener} methods or in
 * code.
 */
public class TaskHandlers {

	private final Map<String, Registration> handlers = new ConcurrentHashMap<>();

	/**
	 * Register the handler of a queue.
	 * @param <T> the payload type
	 * @param queue the queue
	 * @param payloadType the type payloads are read as
	 * @param handler the handler
	 * @throws IllegalStateException when the queue has a handler already
	 */
	public <T> void register(String queue, Class<T> payloadType, TaskHandler<T> handler) {
		registerGeneric(queue, payloadType, handler);
	}

	/**
	 * Register the handler of a queue whose payloads are of a generic type, such as {@code List<Order>}: the
	 * handler is given payloads read as that type, as {@link TaskListener} methods are.
	 * @param queue the queue
	 * @param payloadType the type payloads are read as
	 * @param handler the handler, which must accept payloads of that type
	 * @throws IllegalStateException when the queue has a handler already
	 */
	public void registerGeneric(String queue, Type payloadType, TaskHandler<?> handler) {
		Assert.hasText(queue, "'queue' must not be empty");
		Registration previous = this.handlers.putIfAbsent(queue, new Registration(payloadType, handler));
		Assert.state(previous == null, () -> "Queue '" + queue + "' has a handler already: " + previous.handler());
	}

	@Nullable Registration get(String queue) {
		return this.handlers.get(queue);
	}

	/**
	 * Return whether a queue has a handler.
	 * @param queue the queue
	 * @return whether one is registered
	 */
	public boolean hasHandler(String queue) {
		return this.handlers.containsKey(queue);
	}

	/**
	 * Return the queues that have a handler.
	 * @return the queue names
	 */
	public Set<String> queues() {
		return Set.copyOf(this.handlers.keySet());
	}

	record Registration(Type payloadType, TaskHandler<?> handler) {

		@SuppressWarnings({ "unchecked", "rawtypes" })
		@Nullable Object handle(@Nullable Object payload, TaskContext context) throws Exception {
			return ((TaskHandler) this.handler).handle(payload, context);
		}

	}

}
