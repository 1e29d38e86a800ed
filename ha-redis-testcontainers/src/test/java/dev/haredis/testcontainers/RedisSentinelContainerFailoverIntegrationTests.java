package dev.haredis.testcontainers;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.haredis.test.FailoverTopology;
import dev.haredis.topology.NodeAddress;

/**
 * The failover suite on a master, a replica and three sentinels in containers, reached through published ports and
 * the address map.
 */
@RequiresDocker
@Testcontainers
class RedisSentinelContainerFailoverIntegrationTests extends FailoverSuite<NodeAddress> {

	@Container
	static final RedisSentinelContainer redis = new RedisSentinelContainer(LocalRedisImage.buildOnLinuxOr("redis:7.4"));

	@Override
	protected FailoverTopology<NodeAddress> topology() {
		return redis;
	}

}
