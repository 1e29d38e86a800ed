package dev.haredis.autoconfigure.cache;

import java.util.List;

import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.cache.support.NullValue;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Writes cache values as JSON with their class names, and reads back only classes of trusted packages. Keeps
 * Jackson types out of the auto-configuration, which must load without them.
 */
final class JsonCacheValues {

	private static final List<String> JDK_PACKAGES = List.of("java.lang.", "java.util.", "java.time.", "java.math.");

	private JsonCacheValues() {
	}

	static RedisSerializer<Object> serializer(List<String> trustedPackages) {
		BasicPolymorphicTypeValidator.Builder validator = BasicPolymorphicTypeValidator.builder()
			.allowIfSubTypeIsArray()
			.allowIfSubType(NullValue.class);
		JDK_PACKAGES.forEach(validator::allowIfSubType);
		trustedPackages.forEach((trusted) -> validator.allowIfSubType(trusted.endsWith(".") ? trusted : trusted + "."));
		return GenericJacksonJsonRedisSerializer.builder()
			.enableSpringCacheNullValueSupport()
			.enableDefaultTyping(validator.build())
			.build();
	}

}
