package dev.haredis.test;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a topology before the tests of a class and closes it (its processes killed by PID) after them, even when
 * a test fails.
 *
 * @param <T> the topology
 */
abstract class TopologyExtension<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

	private final Supplier<T> starter;

	private @Nullable T topology;

	TopologyExtension(Supplier<T> starter) {
		this.starter = starter;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.topology = this.starter.get();
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		T started = this.topology;
		this.topology = null;
		if (started != null) {
			started.close();
		}
	}

	/**
	 * Return the running topology.
	 * @return the topology
	 */
	public T topology() {
		T started = this.topology;
		if (started == null) {
			throw new IllegalStateException("The topology starts before all tests of the class");
		}
		return started;
	}

}
