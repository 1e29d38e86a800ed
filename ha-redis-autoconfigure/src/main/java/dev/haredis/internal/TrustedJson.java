package dev.haredis.internal;

import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * JSON with the class name of each value, that reads back only trusted classes: a class name outside them is
 * refused by name, before the class is even loaded. Keeps Jackson types out of the auto-configurations, which must
 * load without them.
 */
public final class TrustedJson {

	private TrustedJson() {
	}

	/**
	 * Return a serializer that writes JSON with class names and reads back only trusted classes.
	 * @param trusted the classes that may be read back
	 * @return the serializer
	 */
	public static RedisSerializer<Object> serializer(TrustedPackages trusted) {
		return GenericJacksonJsonRedisSerializer.builder()
			.enableSpringCacheNullValueSupport()
			.enableDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfSubType(trusted.pattern()).build())
			.build();
	}

}
