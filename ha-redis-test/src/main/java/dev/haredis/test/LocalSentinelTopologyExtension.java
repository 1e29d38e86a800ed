package dev.haredis.test;

/**
 * Starts a {@link LocalSentinelTopology} before the tests of a class and stops its processes after them, even
 * when a test fails.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension();
 * </pre>
 */
public final class LocalSentinelTopologyExtension extends TopologyExtension<LocalSentinelTopology> {

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
		super(builder::start);
	}

}
