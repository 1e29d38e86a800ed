package dev.haredis.topology;

import java.time.Duration;

/**
 * How the topology follows the sentinels.
 *
 * @param enabled whether to follow them at all (without it, each new connection asks the sentinels)
 * @param refreshInterval how often to ask them, as a backup to their events
 * @param eventHistory how many recent sentinel events to keep
 * @param maxLearnedSentinels how many sentinels learned from the others to follow at most
 * @param promotionHold how long new writes wait at most for a replica a sentinel announced it promotes (zero:
 * they go to the old master until the switch)
 */
public record MonitorSettings(boolean enabled, Duration refreshInterval, int eventHistory,
		int maxLearnedSentinels, Duration promotionHold) {

	/** The default hold of writes during a promotion. */
	public static final Duration DEFAULT_PROMOTION_HOLD = Duration.ofSeconds(1);

	/**
	 * Settings with the {@linkplain #DEFAULT_PROMOTION_HOLD default promotion hold}.
	 * @param enabled whether to follow the sentinels at all
	 * @param refreshInterval how often to ask them
	 * @param eventHistory how many recent sentinel events to keep
	 * @param maxLearnedSentinels how many learned sentinels to follow at most
	 */
	public MonitorSettings(boolean enabled, Duration refreshInterval, int eventHistory, int maxLearnedSentinels) {
		this(enabled, refreshInterval, eventHistory, maxLearnedSentinels, DEFAULT_PROMOTION_HOLD);
	}

}
