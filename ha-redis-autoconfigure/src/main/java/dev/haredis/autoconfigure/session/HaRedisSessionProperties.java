package dev.haredis.autoconfigure.session;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.haredis.autoconfigure.connection.ConnectionPurposeProperties;

/**
 * Configuration properties of the sessions' connection factory, which Spring Session Data Redis uses. The key
 * prefix goes in front of Spring Session's namespace ('spring.session.data.redis.namespace').
 */
@ConfigurationProperties("ha.redis.session")
public class HaRedisSessionProperties extends ConnectionPurposeProperties {

	@Override
	public String purposeName() {
		return "session";
	}

}
