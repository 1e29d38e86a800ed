package dev.haredis.test;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterSlotsTests {

	@Test
	void crc16IsXmodemAsTheClusterSpecificationGivesIt() {
		// The check value of CRC-16/XMODEM, quoted in the cluster specification.
		byte[] bytes = "123456789".getBytes(StandardCharsets.US_ASCII);
		assertThat(ClusterSlots.crc16(bytes, 0, bytes.length)).isEqualTo(0x31C3);
	}

	@Test
	void slotsMatchWhatRedisAnswersToClusterKeyslot() {
		// CLUSTER KEYSLOT on Redis 7.0
		assertThat(LocalClusterTopology.slot("foo")).isEqualTo(12182);
		assertThat(LocalClusterTopology.slot("bar")).isEqualTo(5061);
		assertThat(LocalClusterTopology.slot("user:42")).isBetween(0, 16383);
	}

	@Test
	void aHashTagPutsKeysInOneSlot() {
		assertThat(LocalClusterTopology.slot("{user1000}.following"))
			.isEqualTo(LocalClusterTopology.slot("{user1000}.followers"))
			.isEqualTo(LocalClusterTopology.slot("user1000"));
		// An empty tag is no tag: the whole key is hashed.
		assertThat(LocalClusterTopology.slot("foo{}{bar}")).isNotEqualTo(LocalClusterTopology.slot("bar"));
		// Only the first tag counts.
		assertThat(LocalClusterTopology.slot("foo{{bar}}zap")).isEqualTo(LocalClusterTopology.slot("{bar"));
	}

}
