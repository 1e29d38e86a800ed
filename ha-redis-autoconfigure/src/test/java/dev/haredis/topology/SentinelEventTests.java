package dev.haredis.topology;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentinelEventTests {

	private static final NodeAddress SENTINEL = new NodeAddress("10.0.0.9", 26379);

	@Test
	void parsesSwitchMaster() {
		SentinelEvent event = parse("+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 6380");
		assertThat(event.masterName()).isEqualTo("mymaster");
		assertThat(event.switchedFrom()).isEqualTo(new NodeAddress("10.0.0.1", 6379));
		assertThat(event.switchedTo()).isEqualTo(new NodeAddress("10.0.0.2", 6380));
		assertThat(event.instance()).isNull();
	}

	@Test
	void parsesMasterInstanceWithExtraText() {
		SentinelEvent event = parse("+odown", "master mymaster 10.0.0.1 6379 #quorum 2/2");
		assertThat(event.isAboutMaster()).isTrue();
		assertThat(event.masterName()).isEqualTo("mymaster");
		assertThat(event.instance().address()).isEqualTo(new NodeAddress("10.0.0.1", 6379));
		assertThat(event.switchedTo()).isNull();
	}

	@Test
	void parsesReplicaAndSentinelInstancesOfAMaster() {
		SentinelEvent replica = parse("+slave", "slave 10.0.0.2:6380 10.0.0.2 6380 @ mymaster 10.0.0.1 6379");
		assertThat(replica.isAboutMaster()).isFalse();
		assertThat(replica.masterName()).isEqualTo("mymaster");
		assertThat(replica.instance().address()).isEqualTo(new NodeAddress("10.0.0.2", 6380));
		SentinelEvent sentinel = parse("+sentinel",
				"sentinel 4c1b7c6a0e1f 10.0.0.8 26380 @ mymaster 10.0.0.1 6379");
		assertThat(sentinel.instance().type()).isEqualTo("sentinel");
		assertThat(sentinel.instance().address()).isEqualTo(new NodeAddress("10.0.0.8", 26380));
	}

	@Test
	void keepsMessagesWithoutInstanceDetails() {
		SentinelEvent tilt = parse("+tilt", "#tilt mode entered");
		assertThat(tilt.instance()).isNull();
		assertThat(tilt.masterName()).isNull();
		assertThat(parse("+new-epoch", "7").instance()).isNull();
		assertThat(parse("+switch-master", "mymaster garbage").switchedTo()).isNull();
	}

	private static SentinelEvent parse(String channel, String message) {
		return SentinelEvent.parse(channel, message, SENTINEL, Instant.EPOCH);
	}

}
