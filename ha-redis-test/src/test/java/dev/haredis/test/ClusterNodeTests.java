package dev.haredis.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterNodeTests {

	private static final String NODES = """
			e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460
			67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@40002,host-2 master - 0 1426238316232 2 connected 5461-10922 [10923->-292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f]
			292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@40003 master,fail - 1426238316232 1426238318243 3 disconnected 10923-16383
			6ec23923021cf3ffec47632106199cb7f496ce01 127.0.0.1:30005@40005 slave 67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 0 1426238316232 5 connected
			""";

	@Test
	void readsEveryNodeOfClusterNodes() {
		List<ClusterNode> nodes = ClusterNode.parseAll(NODES);
		assertThat(nodes).hasSize(4);
		ClusterNode myself = nodes.get(0);
		assertThat(myself.id()).isEqualTo("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
		assertThat(myself.host()).isEqualTo("127.0.0.1");
		assertThat(myself.port()).isEqualTo(30001);
		assertThat(myself.flags()).containsExactlyInAnyOrder("myself", "master");
		assertThat(myself.isMaster()).isTrue();
		assertThat(myself.masterId()).isNull();
		assertThat(myself.connected()).isTrue();
		assertThat(myself.slots()).containsExactly(new ClusterNode.SlotRange(0, 5460));
		assertThat(myself.slotCount()).isEqualTo(5461);
		assertThat(myself.serves(0)).isTrue();
		assertThat(myself.serves(5460)).isTrue();
		assertThat(myself.serves(5461)).isFalse();
	}

	@Test
	void leavesMigratingSlotsOutAndReadsTheAddressBeforeBusPortAndHostname() {
		ClusterNode node = ClusterNode.parseAll(NODES).get(1);
		assertThat(node.port()).isEqualTo(30002);
		assertThat(node.slots()).containsExactly(new ClusterNode.SlotRange(5461, 10922));
	}

	@Test
	void readsFailuresAndReplicas() {
		List<ClusterNode> nodes = ClusterNode.parseAll(NODES);
		assertThat(nodes.get(2).isFailing()).isTrue();
		assertThat(nodes.get(2).connected()).isFalse();
		ClusterNode replica = nodes.get(3);
		assertThat(replica.isMaster()).isFalse();
		assertThat(replica.masterId()).isEqualTo("67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1");
		assertThat(replica.slots()).isEmpty();
		assertThat(ClusterNode.parse("a 127.0.0.1:1@2 master,fail? - 0 0 1 connected 7").isFailing()).isTrue();
		assertThat(ClusterNode.parse("a 127.0.0.1:1@2 master - 0 0 1 connected 7").slots())
			.containsExactly(new ClusterNode.SlotRange(7, 7));
	}

	@Test
	void refusesWhatIsNotALineOfClusterNodes() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterNode.parse("ERR This instance has cluster support disabled"))
			.withMessageContaining("Not a CLUSTER NODES line");
	}

}
