package dev.haredis.testcontainers;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.haredis.test.FailoverTopology;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyBuilder;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.LoopbackPartitions;
import dev.haredis.test.RedisProcess;

/**
 * The failover suite on a master, a replica and three sentinels started as processes on 127.0.0.1, with passwords
 * on both sides (the application gets them from {@link LocalSentinelTopology#applicationProperties()}).
 */
class LocalSentinelTopologyFailoverIntegrationTests extends FailoverSuite<RedisProcess> {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(partitionableWhereSupported(
			LocalSentinelTopology.builder().password("data-secret").sentinelPassword("sentinel-secret")));

	@Override
	protected FailoverTopology<RedisProcess> topology() {
		return redis.topology();
	}

	private static LocalSentinelTopologyBuilder partitionableWhereSupported(LocalSentinelTopologyBuilder builder) {
		// Elsewhere the partition scenarios skip with the reason, or fail with it where partitions are required.
		boolean required = Boolean.parseBoolean(System.getenv(REQUIRE_PARTITIONS));
		return (required || LoopbackPartitions.unavailableReason() == null) ? builder.partitionable() : builder;
	}

}
