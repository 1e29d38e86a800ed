package dev.haredis.topology;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An event a sentinel published ({@code +switch-master}, {@code +sdown}, {@code +odown}, {@code +failover-end}
 * ...), parsed from its pub/sub channel and message.
 *
 * @param type the event type, which is the channel name, for example {@code +sdown}
 * @param message the message as published
 * @param reportedBy the sentinel that published it
 * @param at when it was received
 * @param instance the instance the event is about, when the message has the usual instance details
 */
public record SentinelEvent(String type, String message, NodeAddress reportedBy, Instant at,
		@Nullable Instance instance) implements TopologyEvent {

	/**
	 * Parse an event. Messages that do not have the documented form keep {@code instance} empty.
	 * @param channel the channel, for example {@code +switch-master}
	 * @param message the message
	 * @param reportedBy the sentinel that published it
	 * @param at when it was received
	 * @return the event
	 */
	public static SentinelEvent parse(String channel, String message, NodeAddress reportedBy, Instant at) {
		return new SentinelEvent(channel, message, reportedBy, at,
				"+switch-master".equals(channel) ? null : Instance.parse(message));
	}

	/**
	 * Return the name of the master the event concerns, if it can be told.
	 * @return the master name, or {@code null}
	 */
	public @Nullable String masterName() {
		if ("+switch-master".equals(this.type)) {
			return token(0);
		}
		return (this.instance != null) ? this.instance.masterName() : null;
	}

	/**
	 * For {@code +switch-master}, the old master address.
	 * @return the old master, or {@code null} for other events
	 */
	public @Nullable NodeAddress switchedFrom() {
		return "+switch-master".equals(this.type) ? address(1) : null;
	}

	/**
	 * For {@code +switch-master}, the new master address.
	 * @return the new master, or {@code null} for other events
	 */
	public @Nullable NodeAddress switchedTo() {
		return "+switch-master".equals(this.type) ? address(3) : null;
	}

	/**
	 * Return whether the event is about the master itself (rather than a replica or sentinel of it).
	 * @return whether the instance is a master
	 */
	public boolean isAboutMaster() {
		return this.instance != null && "master".equals(this.instance.type());
	}

	private @Nullable String token(int index) {
		String[] tokens = this.message.trim().split("\\s+");
		return (index < tokens.length) ? tokens[index] : null;
	}

	private @Nullable NodeAddress address(int hostIndex) {
		String host = token(hostIndex);
		String port = token(hostIndex + 1);
		try {
			return (host != null && port != null) ? new NodeAddress(host, Integer.parseInt(port)) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return this.type + " " + this.message;
	}

	/**
	 * The instance details most events carry:
	 * {@code <type> <name> <ip> <port> @ <master-name> <master-ip> <master-port>}, without the {@code @} part when
	 * the instance is the master itself.
	 *
	 * @param type {@code master}, {@code slave} or {@code sentinel}
	 * @param name the instance name (the master name, {@code ip:port} for a replica, the run id for a sentinel)
	 * @param address the instance address
	 * @param masterName the name of the master it belongs to
	 * @param masterAddress the address of that master
	 */
	public record Instance(String type, String name, NodeAddress address, String masterName,
			NodeAddress masterAddress) {

		static @Nullable Instance parse(String message) {
			String[] tokens = message.trim().split("\\s+");
			if (tokens.length < 4) {
				return null;
			}
			try {
				NodeAddress address = new NodeAddress(tokens[2], Integer.parseInt(tokens[3]));
				if (tokens.length >= 8 && "@".equals(tokens[4])) {
					return new Instance(tokens[0], tokens[1], address, tokens[5],
							new NodeAddress(tokens[6], Integer.parseInt(tokens[7])));
				}
				if ("master".equals(tokens[0])) {
					return new Instance(tokens[0], tokens[1], address, tokens[1], address);
				}
				return null;
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

}
