package dev.haredis.topology;

import java.util.List;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Mock {@link SentinelTopology} instances for condition tests, which need a bean but no Redis.
 */
public final class MockTopologies {

	private MockTopologies() {
	}

	/**
	 * Return a topology for master {@code mymaster} that knows nothing yet.
	 * @return the mock topology
	 */
	public static SentinelTopology unknown() {
		SentinelTopology topology = mock(SentinelTopology.class);
		given(topology.getMasterName()).willReturn("mymaster");
		given(topology.getSnapshot())
			.willReturn(TopologySnapshot.unknown("mymaster", List.of(new NodeAddress("127.0.0.1", 26379))));
		return topology;
	}

}
