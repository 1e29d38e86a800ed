package dev.haredis.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

import dev.haredis.gadget.GadgetFlags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TrustedJsonTests {

	private final RedisSerializer<Object> json = TrustedJson
		.serializer(new TrustedPackages(List.of("dev.haredis.support")));

	@Test
	void aClassNameOutsideTheTrustedPackagesIsRefusedBeforeTheClassIsInitialized() {
		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> this.json
			.deserialize("{\"@class\":\"dev.haredis.gadget.StaticGadget\"}".getBytes(StandardCharsets.UTF_8)));
		assertThat(GadgetFlags.STATIC_GADGET_INITIALIZED).isFalse();
	}

}
