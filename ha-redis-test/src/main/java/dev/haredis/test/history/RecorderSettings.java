package dev.haredis.test.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link SentinelHistoryRecorderBuilder} was told, fixed when the recording starts.
 *
 * @param masterName the master name the sentinels monitor
 * @param output the file to write
 * @param sentinels the sentinels to record
 * @param dataNodes the data nodes to ask {@code ROLE}
 * @param scenario the scenario name for the header
 * @param notes free text for the header
 * @param redisVersion the version for the header, or {@code null} to ask the sentinels
 * @param pollInterval how often every node is asked
 * @param socketTimeout the connect and read timeout of every command
 * @param maxDuration how long the recording may last at most
 * @param announcedAddresses announced {@code host:port} to real {@code host:port}
 * @param followLearnedNodes whether the nodes the sentinels name are recorded too
 * @param password the data nodes' password
 * @param sentinelPassword the sentinels' password
 * @param dataTls how to reach the data nodes over TLS, or {@code null} for plain
 * @param sentinelTls how to reach the sentinels over TLS, or {@code null} for plain
 */
record RecorderSettings(String masterName, Path output, List<String> sentinels, List<String> dataNodes,
		String scenario, String notes, @Nullable String redisVersion, Duration pollInterval, Duration socketTimeout,
		Duration maxDuration, Map<String, String> announcedAddresses, boolean followLearnedNodes,
		@Nullable String password, @Nullable String sentinelPassword, @Nullable SSLSocketFactory dataTls,
		@Nullable SSLSocketFactory sentinelTls) {

	/**
	 * Return where a node the sentinels name listens: its announced address mapped, if it is mapped.
	 * @param announced the address the sentinels name
	 * @return the address to connect to
	 */
	String realAddress(String announced) {
		return this.announcedAddresses.getOrDefault(announced, announced);
	}

}
