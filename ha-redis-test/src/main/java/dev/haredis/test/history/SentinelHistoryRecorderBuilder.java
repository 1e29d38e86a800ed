package dev.haredis.test.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * Settings for a {@link SentinelHistoryRecorder}, from {@link SentinelHistoryRecorder#builder(String, Path)} or
 * {@link SentinelHistoryRecorder#builder(dev.haredis.test.LocalSentinelTopology, Path)}; {@link #start()} starts
 * the recording.
 */
public final class SentinelHistoryRecorderBuilder {

	private final String masterName;

	private final Path output;

	private List<String> sentinels = List.of();

	private List<String> dataNodes = List.of();

	private String scenario = "recording";

	private String notes = "";

	private @Nullable String redisVersion;

	private Duration pollInterval = Duration.ofMillis(100);

	private Duration socketTimeout = Duration.ofMillis(200);

	private Duration maxDuration = Duration.ofMinutes(2);

	private Map<String, String> announcedAddresses = Map.of();

	private boolean followLearnedNodes = true;

	private @Nullable String password;

	private @Nullable String sentinelPassword;

	private @Nullable SSLSocketFactory dataTls;

	private @Nullable SSLSocketFactory sentinelTls;

	SentinelHistoryRecorderBuilder(String masterName, Path output) {
		this.masterName = masterName;
		this.output = output;
	}

	/**
	 * Set the sentinels to record ({@code host:port}).
	 * @param sentinels the sentinel addresses
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder sentinels(List<String> sentinels) {
		this.sentinels = List.copyOf(sentinels);
		return this;
	}

	/**
	 * Set the data nodes to ask {@code ROLE} ({@code host:port}); the sentinels name the others.
	 * @param dataNodes the data node addresses
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder dataNodes(List<String> dataNodes) {
		this.dataNodes = List.copyOf(dataNodes);
		return this;
	}

	/**
	 * Set the scenario name written in the header, for example {@code kill}.
	 * @param scenario the scenario
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder scenario(String scenario) {
		this.scenario = scenario;
		return this;
	}

	/**
	 * Set free text for the header: how the topology was set up, what to look for.
	 * @param notes the notes
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder notes(String notes) {
		this.notes = notes;
		return this;
	}

	/**
	 * Set the Redis version for the header instead of asking the sentinels ({@code INFO server}).
	 * @param redisVersion the version
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder redisVersion(String redisVersion) {
		this.redisVersion = redisVersion;
		return this;
	}

	/**
	 * Set how often every node is asked (default 100 ms).
	 * @param pollInterval the poll interval
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder pollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
		return this;
	}

	/**
	 * Set the connect and read timeout of every command (default 200 ms): a frozen node records
	 * {@code timeout}.
	 * @param socketTimeout the timeout
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder socketTimeout(Duration socketTimeout) {
		this.socketTimeout = socketTimeout;
		return this;
	}

	/**
	 * Set how long the recording may last at most (default 2 minutes); it stops by itself then.
	 * @param maxDuration the maximum duration
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder maxDuration(Duration maxDuration) {
		this.maxDuration = maxDuration;
		return this;
	}

	/**
	 * Map addresses the nodes announce (NAT, Docker) to the addresses where they listen: the recorder connects
	 * to the latter, and the header keeps the map.
	 * @param announcedAddresses announced {@code host:port} to real {@code host:port}
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder announcedAddresses(Map<String, String> announcedAddresses) {
		this.announcedAddresses = Map.copyOf(announcedAddresses);
		return this;
	}

	/**
	 * Set whether the sentinels and data nodes the sentinels name are recorded too, from the time they are
	 * first named (default true).
	 * @param followLearnedNodes whether to follow learned nodes
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder followLearnedNodes(boolean followLearnedNodes) {
		this.followLearnedNodes = followLearnedNodes;
		return this;
	}

	/**
	 * Set the data nodes' password.
	 * @param password the password
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder password(@Nullable String password) {
		this.password = password;
		return this;
	}

	/**
	 * Set the sentinels' password.
	 * @param sentinelPassword the password
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder sentinelPassword(@Nullable String sentinelPassword) {
		this.sentinelPassword = sentinelPassword;
		return this;
	}

	/**
	 * Reach the data nodes over TLS.
	 * @param dataTls the socket factory
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder dataTls(@Nullable SSLSocketFactory dataTls) {
		this.dataTls = dataTls;
		return this;
	}

	/**
	 * Reach the sentinels over TLS.
	 * @param sentinelTls the socket factory
	 * @return this builder
	 */
	public SentinelHistoryRecorderBuilder sentinelTls(@Nullable SSLSocketFactory sentinelTls) {
		this.sentinelTls = sentinelTls;
		return this;
	}

	/**
	 * Write the header and start recording.
	 * @return the running recorder
	 */
	public SentinelHistoryRecorder start() {
		if (this.sentinels.isEmpty()) {
			throw new IllegalStateException("A recording needs at least one sentinel address");
		}
		return SentinelHistoryRecorder.start(new RecorderSettings(this.masterName, this.output, this.sentinels,
				this.dataNodes, this.scenario, this.notes, this.redisVersion, this.pollInterval, this.socketTimeout,
				this.maxDuration, this.announcedAddresses, this.followLearnedNodes, this.password, this.sentinelPassword,
				this.dataTls, this.sentinelTls));
	}

}
