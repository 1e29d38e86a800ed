package dev.haredis.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AddressMapTests {

	private static final NodeAddress ANNOUNCED = new NodeAddress("172.18.0.2", 6379);

	@Test
	void leavesAnAddressNoEntryCoversAsAnnounced() {
		AddressMap map = AddressMap.builder().entry("172.18.0.3:6379", "127.0.0.1:16380").build();
		assertThat(map.map(ANNOUNCED)).isSameAs(ANNOUNCED);
		assertThat(AddressMap.NONE.map(ANNOUNCED)).isSameAs(ANNOUNCED);
		assertThat(AddressMap.builder().build()).isSameAs(AddressMap.NONE);
	}

	@Test
	void mapsAnAddressToAnAddress() {
		AddressMap map = AddressMap.builder().entry("172.18.0.2:6379", "redis.example.com:16379").build();
		assertThat(map.map(ANNOUNCED)).isEqualTo(new NodeAddress("redis.example.com", 16379));
		assertThat(map.map(new NodeAddress("172.18.0.2", 6380))).isEqualTo(new NodeAddress("172.18.0.2", 6380));
	}

	@Test
	void mapsAnAddressToAHostKeepingThePort() {
		AddressMap map = AddressMap.builder().entry("172.18.0.2:6379", "redis.example.com").build();
		assertThat(map.map(ANNOUNCED)).isEqualTo(new NodeAddress("redis.example.com", 6379));
	}

	@Test
	void mapsAHostForEveryPort() {
		AddressMap map = AddressMap.builder().entry("172.18.0.2", "redis-a.internal").build();
		assertThat(map.map(ANNOUNCED)).isEqualTo(new NodeAddress("redis-a.internal", 6379));
		assertThat(map.map(new NodeAddress("172.18.0.2", 26379))).isEqualTo(new NodeAddress("redis-a.internal", 26379));
	}

	@Test
	void exactEntryWinsOverHostEntryWhichWinsOverComputedMappings() {
		AddressMap map = AddressMap.builder()
			.mapping((announced) -> new NodeAddress("computed", announced.port() + 10000))
			.entry("172.18.0.2", "by-host")
			.entry("172.18.0.2:6379", "exact:1")
			.build();
		assertThat(map.map(ANNOUNCED)).isEqualTo(new NodeAddress("exact", 1));
		assertThat(map.map(new NodeAddress("172.18.0.2", 6380))).isEqualTo(new NodeAddress("by-host", 6380));
		assertThat(map.map(new NodeAddress("172.18.0.9", 6380))).isEqualTo(new NodeAddress("computed", 16380));
	}

	@Test
	void computedMappingsAreAskedInOrderUntilOneAnswers() {
		AddressMap map = AddressMap.builder()
			.mapping((announced) -> null)
			.mapping((announced) -> new NodeAddress("second", announced.port()))
			.mapping((announced) -> new NodeAddress("third", announced.port()))
			.build();
		assertThat(map.map(ANNOUNCED)).isEqualTo(new NodeAddress("second", 6379));
	}

	@Test
	void hostsMatchWhateverTheirCase() {
		AddressMap map = AddressMap.builder().entry("Redis-A.Internal:6379", "127.0.0.1:16379").build();
		assertThat(map.map(new NodeAddress("redis-a.internal", 6379))).isEqualTo(new NodeAddress("127.0.0.1", 16379));
	}

	@Test
	void mapsIpv6Addresses() {
		AddressMap map = AddressMap.builder().entry("[fd00::2]:6379", "[::1]:16379").entry("[fd00::3]", "[::1]").build();
		assertThat(map.map(new NodeAddress("fd00::2", 6379))).isEqualTo(new NodeAddress("::1", 16379));
		assertThat(map.map(new NodeAddress("fd00::3", 6380))).isEqualTo(new NodeAddress("::1", 6380));
	}

	@Test
	void toBuilderKeepsTheEntries() {
		AddressMap map = AddressMap.builder().entry("172.18.0.2:6379", "a:1").build();
		AddressMap extended = map.toBuilder().entry("172.18.0.3", "b").build();
		assertThat(extended.map(ANNOUNCED)).isEqualTo(new NodeAddress("a", 1));
		assertThat(extended.map(new NodeAddress("172.18.0.3", 6379))).isEqualTo(new NodeAddress("b", 6379));
	}

	@Test
	void rejectsAHostMappedToAnAddressWithAPort() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AddressMap.builder().entry("172.18.0.2", "127.0.0.1:16379"))
			.withMessageContaining("'172.18.0.2' is a host, which maps every port")
			.withMessageContaining("write host:port on both sides");
	}

	@Test
	void matchesIpv6LiteralsWrittenDifferently() {
		AddressMap map = AddressMap.builder()
			.entry("[2001:DB8:0:0::1]:6379", "redis.example.com:16379")
			.entry("[fd00:0::7]", "redis-b.example.com")
			.build();
		assertThat(map.map(new NodeAddress("2001:db8::1", 6379))).isEqualTo(new NodeAddress("redis.example.com", 16379));
		assertThat(map.map(new NodeAddress("fd00::7", 6380))).isEqualTo(new NodeAddress("redis-b.example.com", 6380));
	}

	@Test
	void passesOverAMappingThatFails() {
		AddressMap map = AddressMap.builder().mapping((announced) -> {
			throw new IllegalStateException("a bug in the application's mapping");
		}).mapping((announced) -> new NodeAddress("redis.example.com", announced.port())).build();
		assertThat(map.map(ANNOUNCED)).isEqualTo(new NodeAddress("redis.example.com", 6379));
		AddressMap failingOnly = AddressMap.builder().mapping((announced) -> {
			throw new IllegalStateException("a bug in the application's mapping");
		}).build();
		assertThat(failingOnly.map(ANNOUNCED)).isSameAs(ANNOUNCED);
	}

	@Test
	void rejectsMalformedSidesSayingWhichSide() {
		assertThatIllegalArgumentException().isThrownBy(() -> AddressMap.builder().entry("172.18.0.2:x", "a:1"))
			.withMessage("announced address: '172.18.0.2:x' has port 'x', which is not a number");
		assertThatIllegalArgumentException().isThrownBy(() -> AddressMap.builder().entry("172.18.0.2:6379", "a:99999"))
			.withMessage("reachable address: 'a:99999' has port 99999, outside 1-65535");
	}

}
