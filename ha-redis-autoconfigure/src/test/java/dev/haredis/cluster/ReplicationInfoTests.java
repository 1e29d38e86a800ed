package dev.haredis.cluster;

import org.junit.jupiter.api.Test;

import dev.haredis.topology.NodeAddress;

import static dev.haredis.cluster.ClusterViewTests.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReplicationInfoTests {

	/** As redis-server 7.0 answers, CRLF included. */
	static final String MASTER = "# Replication\r\n"
			+ "role:master\r\n"
			+ "connected_slaves:2\r\n"
			+ "slave0:ip=127.0.0.1,port=30004,state=online,offset=5000,lag=0\r\n"
			+ "slave1:ip=::1,port=30007,state=wait_bgsave,offset=0,lag=1\r\n"
			+ "master_failover_state:no-failover\r\n"
			+ "master_replid:5b2bd4b8bd0bd1a7ae8b2d8a2a5c1ba0fb1e1b1d\r\n"
			+ "master_replid2:0000000000000000000000000000000000000000\r\n"
			+ "master_repl_offset:5120\r\n"
			+ "second_repl_offset:-1\r\n"
			+ "repl_backlog_active:1\r\n";

	@Test
	void readsTheMastersOffsetAndEachReplicaAsTheMasterSeesIt() {
		ReplicationInfo info = ReplicationInfo.parse(MASTER);
		assertThat(info.isMaster()).isTrue();
		assertThat(info.offset()).isEqualTo(5120);
		assertThat(info.replicas()).containsExactly(new ReplicationInfo.Replica(node(30004), "online", 5000),
				new ReplicationInfo.Replica(new NodeAddress("::1", 30007), "wait_bgsave", 0));
		assertThat(info.replicas()).extracting(info::lagBytes).containsExactly(120L, 5120L);
	}

	@Test
	void aReplicaAheadOfTheOffsetTheMasterReportedLagsByNothing() {
		// The master's offset is read before the replica's acknowledgement in the same answer.
		ReplicationInfo info = ReplicationInfo.parse("role:master\nslave0:ip=10.0.0.2,port=6379,state=online,"
				+ "offset=130,lag=0\nmaster_repl_offset:120\n");
		assertThat(info.lagBytes(info.replicas().get(0))).isZero();
	}

	@Test
	void aReplicaReportsItsRoleAndNoReplicas() {
		ReplicationInfo info = ReplicationInfo.parse("""
				# Replication
				role:slave
				master_host:127.0.0.1
				master_port:30001
				master_link_status:up
				slave_repl_offset:5120
				connected_slaves:0
				master_repl_offset:5120
				""");
		assertThat(info.isMaster()).isFalse();
		assertThat(info.replicas()).isEmpty();
	}

	@Test
	void otherSectionsOfAWholeInfoAnswerAreSkipped() {
		ReplicationInfo info = ReplicationInfo.parse("# Server\r\nredis_version:7.0.15\r\nrun_id:abc\r\n\r\n"
				+ MASTER + "\r\n# CPU\r\nused_cpu_sys:1.5\r\n");
		assertThat(info.replicas()).hasSize(2);
	}

	@Test
	void anAnswerWithoutARoleOrWithAnUnreadableReplicaLineIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> ReplicationInfo.parse("connected_slaves:0\r\n"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReplicationInfo.parse("role:master\r\nslave0:ip=127.0.0.1,state=online,offset=1\r\n"))
			.withMessageContaining("slave0:");
	}

}
