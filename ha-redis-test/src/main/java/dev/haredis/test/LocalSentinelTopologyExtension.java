package dev.haredis.test;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link LocalSentinelTopology} before the tests of a class and stops its processes after them, even
 * when a test fails.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();
 * </pre>
 */
public final class LocalSentinelTopologyExtension implements BeforeAllCallback, AfterAllCallback {

	private final LocalSentinelTopologyBuilder builder;

	private @Nullable LocalSentinelTopology topology;

	/**
	 * Create an extension for the default topology.
	 */
	public LocalSentinelTopologyExtension() {
		this(LocalSentinelTopology.builder());
	}

	/**
	 * Create an extension for the topology the builder describes.
	 * @param builder the topology settings
	 */
	public LocalSentinelTopologyExtension(LocalSentinelTopologyBuilder builder) {
		this.builder = builder;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.topology = this.builder.start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		LocalSentinelTopology started = this.topology;
		this.topology = null;
		if (started != null) {
			started.close();
		}
	}

	/**
	 * Return the running topology.
	 * @return the topology
	 */
	public LocalSentinelTopology topology() {
		LocalSentinelTopology started = this.topology;
		if (started == null) {
			throw new IllegalStateException("The topology starts before all tests of the class");
		}
		return started;
	}

}
