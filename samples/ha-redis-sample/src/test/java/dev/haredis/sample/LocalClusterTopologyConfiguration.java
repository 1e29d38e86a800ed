package dev.haredis.sample;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;

import dev.haredis.autoconfigure.connection.HaRedisClusterConnectionDetails;
import dev.haredis.test.LocalClusterTopology;
import dev.haredis.topology.NodeAddress;

/**
 * With the {@code cluster} profile: starts a real Redis Cluster (three masters, three replicas) on 127.0.0.1 and
 * points ha-redis at it through {@link HaRedisClusterConnectionDetails}, for tests and for
 * {@code spring-boot:test-run -Dspring-boot.run.profiles=cluster}. The processes stop with the application context.
 */
@TestConfiguration(proxyBeanMethods = false)
@Profile("cluster")
public class LocalClusterTopologyConfiguration {

	private static final Log logger = LogFactory.getLog(LocalClusterTopologyConfiguration.class);

	@Bean(destroyMethod = "close")
	LocalClusterTopology localClusterTopology() {
		LocalClusterTopology topology = LocalClusterTopology.builder().start();
		logger.info("Started a local Redis Cluster: " + topology.seedNodes());
		return topology;
	}

	@Bean
	HaRedisClusterConnectionDetails haRedisClusterConnectionDetails(LocalClusterTopology topology) {
		List<NodeAddress> nodes = topology.nodes()
			.stream()
			.map((node) -> new NodeAddress("127.0.0.1", node.port()))
			.toList();
		return () -> nodes;
	}

}
