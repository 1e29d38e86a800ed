package dev.haredis.testcontainers;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.haredis.test.FailoverTopology;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.LocalSentinelTopologyExtension;
import dev.haredis.test.RedisProcess;

/**
 * The failover suite on a master, a replica and three sentinels started as processes on 127.0.0.1, with passwords
 * on both sides (the application gets them from {@link LocalSentinelTopology#applicationProperties()}).
 */
class LocalSentinelTopologyFailoverIntegrationTests extends FailoverSuite<RedisProcess> {

	@RegisterExtension
	static final LocalSentinelTopologyExtension redis = new LocalSentinelTopologyExtension(
			LocalSentinelTopology.builder().password("data-secret").sentinelPassword("sentinel-secret"));

	@Override
	protected FailoverTopology<RedisProcess> topology() {
		return redis.topology();
	}

}
