package dev.haredis.testcontainers;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LocalRedisImageTests {

	@Test
	void takesTheResolvedLibrariesAndTheLoaderFromLddOutput() {
		String ldd = """
					linux-vdso.so.1 (0x00007ffd5a1f3000)
					libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f1e2a0f2000)
					libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x00007f1e2a049000)
					libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1e29e68000)
					/lib64/ld-linux-x86-64.so.2 (0x00007f1e2a1f5000)
				""";
		assertThat(LocalRedisImage.parseLdd(ldd)).containsExactly("/lib/x86_64-linux-gnu/libm.so.6",
				"/lib/x86_64-linux-gnu/libssl.so.3", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2");
	}

	@Test
	void namesTheLibrariesThatAreMissing() {
		String ldd = """
					libssl.so.1.1 => not found
					libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1e29e68000)
				""";
		assertThatIllegalStateException().isThrownBy(() -> LocalRedisImage.parseLdd(ldd))
			.withMessageContaining("libraries this machine lacks: libssl.so.1.1;")
			.withMessageContaining("HA_REDIS_SERVER_BINARY");
	}

}
