package dev.haredis.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;

import dev.haredis.autoconfigure.connection.HaRedisConnectionDetails;
import dev.haredis.test.LocalSentinelTopology;
import dev.haredis.test.RedisProcess;
import dev.haredis.topology.NodeAddress;

/**
 * Unless the {@code cluster} profile is active: starts a real master, replica and three sentinels on 127.0.0.1 and points ha-redis at them through
 * {@link HaRedisConnectionDetails}, for tests and for {@code spring-boot:test-run}. The processes stop with the
 * application context.
 */
@TestConfiguration(proxyBeanMethods = false)
@Profile("!cluster")
public class LocalSentinelTopologyConfiguration {

	private static final Log logger = LogFactory.getLog(LocalSentinelTopologyConfiguration.class);

	@Bean(destroyMethod = "close")
	LocalSentinelTopology localSentinelTopology() {
		LocalSentinelTopology topology = LocalSentinelTopology.builder().start();
		logger.info("Started a local sentinel topology for master '" + topology.masterName() + "': "
				+ topology.servers().stream().map(LocalSentinelTopologyConfiguration::describe).toList() + " and "
				+ topology.sentinels().stream().map(LocalSentinelTopologyConfiguration::describe).toList());
		return topology;
	}

	@Bean
	HaRedisConnectionDetails haRedisConnectionDetails(LocalSentinelTopology topology) {
		return () -> HaRedisConnectionDetails.Sentinel.of(topology.masterName(),
				topology.sentinels().stream().map((sentinel) -> new NodeAddress("127.0.0.1", sentinel.port())).toList(),
				null, null);
	}

	private static String describe(RedisProcess process) {
		return process.name() + " " + process.address() + " pid " + process.pid();
	}

}
