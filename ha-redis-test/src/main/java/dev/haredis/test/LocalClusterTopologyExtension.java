package dev.haredis.test;

/**
 * Starts a {@link LocalClusterTopology} before the tests of a class and stops its processes after them, even
 * when a test fails.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final LocalClusterTopologyExtension redis = new LocalClusterTopologyExtension();
 * </pre>
 */
public final class LocalClusterTopologyExtension extends TopologyExtension<LocalClusterTopology> {

	/**
	 * Create an extension for the default topology.
	 */
	public LocalClusterTopologyExtension() {
		this(LocalClusterTopology.builder());
	}

	/**
	 * Create an extension for the topology the builder describes.
	 * @param builder the topology settings
	 */
	public LocalClusterTopologyExtension(LocalClusterTopologyBuilder builder) {
		super(builder::start);
	}

}
