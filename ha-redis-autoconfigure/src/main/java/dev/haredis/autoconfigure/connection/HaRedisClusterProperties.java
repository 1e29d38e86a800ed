package dev.haredis.autoconfigure.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import dev.haredis.autoconfigure.internal.PropertyChecks;

/**
 * Redis Cluster properties. Credentials, TLS, timeouts and the client name are the data nodes' ones under
 * {@code ha.redis.*}; a cluster has database 0 only, so purposes keep apart by key prefix.
 */
@ConfigurationProperties("ha.redis.cluster")
public class HaRedisClusterProperties implements Validator {

	/**
	 * Seed nodes of the cluster, as host:port: any reachable one is enough to learn the others, list several so
	 * that start-up survives one being down. Takes over 'spring.data.redis.cluster.nodes'.
	 */
	private List<String> nodes = new ArrayList<>();

	/**
	 * Most redirections (MOVED, ASK) a command follows before failing. Takes over
	 * 'spring.data.redis.cluster.max-redirects'; Lettuce's default (5) when neither is set.
	 */
	private @Nullable Integer maxRedirects;

	/**
	 * How often one node is asked for the cluster's shape (CLUSTER NODES) while the cluster is healthy.
	 */
	private Duration refreshInterval = Duration.ofSeconds(1);

	/**
	 * How often while a master that serves slots is unreachable or flagged failing, so that its replica's
	 * promotion is seen at once.
	 */
	private Duration fastInterval = Duration.ofMillis(100);

	/**
	 * How long one of these questions may take, connecting included, before the next node is asked.
	 */
	private Duration timeout = Duration.ofSeconds(1);

	/**
	 * How long a command is sent again while the cluster refuses it for a moment: CLUSTERDOWN (every node refuses
	 * commands from the moment a master is marked failed until its replica is promoted, about a second) or
	 * TRYAGAIN (keys moving between nodes). Such a command was not executed, so sending it again is safe. 0 sends
	 * every command once and hands the error to the caller.
	 */
	private Duration retryWhileDown = Duration.ofSeconds(2);

	/**
	 * Addresses the nodes announce mapped to addresses this application can reach, for nodes behind Docker port
	 * mapping or NAT: 'host:port' to 'host:port', or a host to a host for every port. Applied to every address a
	 * node announces (CLUSTER NODES, MOVED, ASK). Keys need brackets, and in .properties files the colon an escape:
	 * "[172.18.0.2:6379]": redis.example.com:16379 in YAML,
	 * ha.redis.cluster.address-map[172.18.0.2\:6379]=redis.example.com:16379 in properties.
	 */
	private Map<String, String> addressMap = new LinkedHashMap<>();

	public List<String> getNodes() {
		return this.nodes;
	}

	public void setNodes(List<String> nodes) {
		this.nodes = nodes;
	}

	public @Nullable Integer getMaxRedirects() {
		return this.maxRedirects;
	}

	public void setMaxRedirects(@Nullable Integer maxRedirects) {
		this.maxRedirects = maxRedirects;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	public Duration getFastInterval() {
		return this.fastInterval;
	}

	public void setFastInterval(Duration fastInterval) {
		this.fastInterval = fastInterval;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getRetryWhileDown() {
		return this.retryWhileDown;
	}

	public void setRetryWhileDown(Duration retryWhileDown) {
		this.retryWhileDown = retryWhileDown;
	}

	public Map<String, String> getAddressMap() {
		return this.addressMap;
	}

	public void setAddressMap(Map<String, String> addressMap) {
		this.addressMap = addressMap;
	}

	@Override
	public boolean supports(Class<?> type) {
		return HaRedisClusterProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		HaRedisClusterProperties properties = (HaRedisClusterProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		if (properties.getMaxRedirects() != null) {
			checks.atLeast("max-redirects", properties.getMaxRedirects(), 0, "how many MOVED or ASK a command follows");
		}
		checks.positive("refresh-interval", properties.getRefreshInterval(), "1s");
		checks.positive("fast-interval", properties.getFastInterval(), "100ms");
		checks.positive("timeout", properties.getTimeout(), "1s");
		HaRedisProperties.checkAddressMap(checks, properties.getAddressMap());
		checks.notNegative("retry-while-down", properties.getRetryWhileDown(), "every command is sent once");
		if (properties.getFastInterval() != null && properties.getRefreshInterval() != null
				&& properties.getFastInterval().compareTo(properties.getRefreshInterval()) > 0) {
			checks.reject("fast-interval", "is longer than refresh-interval (" + properties.getRefreshInterval()
					+ "); set it shorter, for example 100ms, so a failing master is watched more closely");
		}
	}

}
