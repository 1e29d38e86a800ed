package dev.haredis.autoconfigure.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.haredis.autoconfigure.purpose.ConnectionPurposeProperties;
import dev.haredis.autoconfigure.internal.PropertyChecks;

/**
 * Configuration properties of the messaging connection factory: pub/sub (a {@code RedisMessageListenerContainer})
 * now, the task queue later. Pub/sub channels are not stored in a database; the database and key prefix apply
 * to what messaging stores as keys.
 */
@ConfigurationProperties("ha.redis.messaging")
public class HaRedisMessagingProperties extends ConnectionPurposeProperties {

	/**
	 * How long to wait, after a master switch, for the subscriptions to receive again on the new master before
	 * reporting that they did not.
	 */
	private Duration resubscribeTimeout = Duration.ofSeconds(30);

	@Override
	public String purposeName() {
		return "messaging";
	}

	public Duration getResubscribeTimeout() {
		return this.resubscribeTimeout;
	}

	public void setResubscribeTimeout(Duration resubscribeTimeout) {
		this.resubscribeTimeout = resubscribeTimeout;
	}

	@Override
	protected void validate(PropertyChecks checks) {
		checks.positive("resubscribe-timeout", this.resubscribeTimeout, "30s");
	}

}
