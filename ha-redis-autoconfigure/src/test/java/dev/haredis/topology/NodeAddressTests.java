package dev.haredis.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NodeAddressTests {

	@Test
	void hostNamesAreCaseInsensitive() {
		assertThat(new NodeAddress("Sentinel-A.Example.COM", 26379))
			.isEqualTo(new NodeAddress("sentinel-a.example.com", 26379));
		assertThat(NodeAddress.parse("[FD00::2]:6379", 1)).isEqualTo(new NodeAddress("fd00::2", 6379));
	}

	@Test
	void parsesHostAndPort() {
		assertThat(NodeAddress.parse("sentinel-a:26380", 26379)).isEqualTo(new NodeAddress("sentinel-a", 26380));
	}

	@Test
	void bareHostTakesTheDefaultPort() {
		assertThat(NodeAddress.parse(" 10.0.0.5 ", 26379)).isEqualTo(new NodeAddress("10.0.0.5", 26379));
	}

	@Test
	void parsesBracketedIpv6WithAndWithoutPort() {
		assertThat(NodeAddress.parse("[::1]:26380", 26379)).isEqualTo(new NodeAddress("::1", 26380));
		assertThat(NodeAddress.parse("[2001:db8::5]", 26379)).isEqualTo(new NodeAddress("2001:db8::5", 26379));
	}

	@Test
	void printsIpv6InBrackets() {
		assertThat(new NodeAddress("::1", 26379)).hasToString("[::1]:26379");
		assertThat(new NodeAddress("redis", 6379)).hasToString("redis:6379");
	}

	@Test
	void rejectsUnbracketedIpv6() {
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAddress.parse("::1:26379", 26379))
			.withMessageContaining("[ipv6]:port");
	}

	@Test
	void rejectsNonNumericAndOutOfRangePorts() {
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAddress.parse("h1:abc", 26379))
			.withMessage("'h1:abc' has port 'abc', which is not a number");
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAddress.parse("h1:70000", 26379))
			.withMessage("'h1:70000' has port 70000, outside 1-65535");
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAddress.parse("h1:", 26379))
			.withMessageContaining("not a number");
	}

	@Test
	void rejectsMissingHostAndEmptyText() {
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAddress.parse(":26379", 26379))
			.withMessageContaining("no valid host");
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAddress.parse("  ", 26379))
			.withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAddress.parse("my host:26379", 26379))
			.withMessageContaining("no valid host");
	}

}
