package dev.haredis.autoconfigure.endpoint;

import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

import dev.haredis.autoconfigure.internal.UrlMasking;

/**
 * Masks Redis credentials in {@code /actuator/env} and {@code /actuator/configprops}, even with
 * {@code show-values: always} (which shows every value no other function masks): every {@code ha.redis} and
 * {@code spring.data.redis} password, and the user info of their URLs. Keys are compared in every form a property
 * source uses, so {@code HA_REDIS_SENTINEL_PASSWORD} from the environment is masked as well as
 * {@code ha.redis.sentinel.password}. The two values that carry other properties whole are masked whole, as Spring
 * Boot 2 did by default: {@code SPRING_APPLICATION_JSON} (its properties are masked one by one as well) and
 * {@code sun.java.command} (which holds {@code --ha.redis.password=...} when given on the command line).
 */
class RedisCredentialsSanitizingFunction implements SanitizingFunction {

	private static final Set<String> PREFIXES = Set.of("ha.redis.", "spring.data.redis.");

	private static final Set<String> URLS = Set.of("ha.redis.url", "spring.data.redis.url");

	private static final Set<String> CARRYING_OTHER_PROPERTIES = Set.of("spring.application.json", "sun.java.command");

	@Override
	public SanitizableData apply(SanitizableData data) {
		String key = canonical(data.getKey());
		if (CARRYING_OTHER_PROPERTIES.contains(key)) {
			return data.withSanitizedValue();
		}
		if (PREFIXES.stream().noneMatch(key::startsWith)) {
			return data;
		}
		if (key.endsWith(".password") || key.endsWith(".username")) {
			return data.withSanitizedValue();
		}
		if (URLS.contains(key) && data.getValue() instanceof CharSequence url) {
			return data.withValue(UrlMasking.mask(url.toString()));
		}
		return data;
	}

	/**
	 * Return the key in dotted lower case: {@code HA_REDIS_URL} and {@code ha.redis.url} alike.
	 */
	private static String canonical(String key) {
		return key.toLowerCase(Locale.ROOT).replace('_', '.');
	}

}
