package dev.haredis.test.history;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One line of a sentinel history. {@link #t()} is the time, in milliseconds since the recording started, at which
 * the recorder received what the line holds. An answer to a command also says how long it took
 * ({@link SentinelAnswer#took()}, {@link RoleAnswer#took()}), so the command was sent at {@code t - took}.
 */
public sealed interface HistoryRecord {

	/**
	 * Return the time in milliseconds since the recording started.
	 * @return the time
	 */
	long t();

	/**
	 * The first line: what was recorded and how the topology was set up.
	 *
	 * @param t always 0
	 * @param redis the Redis version of the sentinels, for example {@code 6.2.6}
	 * @param scenario what happened, for example {@code kill}
	 * @param masterName the master name the sentinels monitor
	 * @param sentinels the sentinel addresses ({@code host:port}) the recorder was given
	 * @param dataNodes the data node addresses the recorder was given
	 * @param downAfterMillis the sentinels' {@code down-after-milliseconds}, or -1 when unknown
	 * @param failoverTimeoutMillis the sentinels' {@code failover-timeout}, or -1 when unknown
	 * @param pollIntervalMillis how often every node was asked
	 * @param announcedAddresses addresses announced by nodes (NAT) mapped to the address where the node listens
	 * @param notes free text about the recording
	 */
	record Header(long t, String redis, String scenario, String masterName, List<String> sentinels,
			List<String> dataNodes, long downAfterMillis, long failoverTimeoutMillis, long pollIntervalMillis,
			Map<String, String> announcedAddresses, String notes) implements HistoryRecord {
	}

	/**
	 * An event a sentinel published ({@code PSUBSCRIBE *}).
	 *
	 * @param t the receive time
	 * @param sentinel the sentinel that published it
	 * @param channel the event type, for example {@code +switch-master}
	 * @param message the message as published, for example {@code mymaster 127.0.0.1 6380 127.0.0.1 6381}
	 */
	record Event(long t, String sentinel, String channel, String message) implements HistoryRecord {
	}

	/**
	 * A sentinel's answer to one {@link SentinelCommand}, or the error in its place. A poll answer is recorded only
	 * when it differs from the previous one of the same command from the same sentinel, so an answer holds until
	 * the next one of its kind.
	 *
	 * @param t the receive time
	 * @param sentinel the sentinel asked
	 * @param command the command
	 * @param reply the reply: a map for {@code master}, a list of maps for {@code replicas} and {@code sentinels},
	 * {@code ["host","port"]} or {@code null} for {@code get-master-addr}, a string for {@code ckquorum} and
	 * {@code myid}; {@code null} when {@link #error()} is set
	 * @param error the error ({@code timeout}, {@code connection refused}, an error reply such as
	 * {@code NOQUORUM ...}), or {@code null} when the command was answered
	 * @param took how long the answer took, see {@link #took()}
	 */
	record SentinelAnswer(long t, String sentinel, SentinelCommand command, @Nullable Object reply,
			@Nullable String error, long took) implements HistoryRecord {

		/**
		 * Return how long the answer took: whole milliseconds (rounded down) from sending the command to receiving
		 * the reply or the error, opening the connection included when the recorder had none (its first poll, or
		 * after a failure). A command not sent because an earlier one of the same poll failed records that failure
		 * with 0. The command was sent at {@code t - took}.
		 * @return the milliseconds, or -1 when unknown (a history recorded before the field existed)
		 */
		@Override
		public long took() {
			return this.took;
		}

		/**
		 * Return whether the sentinel answered (no error).
		 * @return whether it answered
		 */
		public boolean answered() {
			return this.error == null;
		}

		/**
		 * Return the reply of {@code master} as field names and values.
		 * @return the fields, empty when the command failed
		 */
		@SuppressWarnings("unchecked")
		public Map<String, String> fields() {
			return (this.reply instanceof Map<?, ?> map) ? (Map<String, String>) map : Map.of();
		}

		/**
		 * Return the reply of {@code replicas} or {@code sentinels}, one map per entry.
		 * @return the entries, empty when the command failed
		 */
		@SuppressWarnings("unchecked")
		public List<Map<String, String>> entries() {
			return (this.reply instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof Map))
					? (List<Map<String, String>>) list : List.of();
		}

		/**
		 * Return the address ({@code host:port}) of a {@code get-master-addr} reply.
		 * @return the address, empty when the sentinel names none or the command failed
		 */
		public Optional<String> address() {
			if (this.reply instanceof List<?> list && list.size() == 2 && !(list.get(0) instanceof Map)) {
				return Optional.of(list.get(0) + ":" + list.get(1));
			}
			return Optional.empty();
		}

		/**
		 * Return a text reply ({@code ckquorum}, {@code myid}).
		 * @return the text, empty when the reply is not a text or the command failed
		 */
		public Optional<String> text() {
			return (this.reply instanceof String text) ? Optional.of(text) : Optional.empty();
		}

	}

	/**
	 * A data node's answer to {@code ROLE}, or the error in its place.
	 *
	 * @param t the receive time
	 * @param node the data node asked
	 * @param reply the reply as Redis gives it: {@code ["master", offset, [["host","port","offset"], ...]]} or
	 * {@code ["slave", "host", port, "connected", offset]}; {@code null} when {@link #error()} is set
	 * @param error the error, or {@code null} when the node answered
	 * @param took how long the answer took, see {@link #took()}
	 */
	record RoleAnswer(long t, String node, @Nullable List<Object> reply, @Nullable String error, long took)
			implements HistoryRecord {

		/**
		 * Return how long the answer took: whole milliseconds (rounded down) from sending {@code ROLE} to receiving
		 * the reply or the error, opening the connection included when the recorder had none (its first poll, or
		 * after a failure). The command was sent at {@code t - took}.
		 * @return the milliseconds, or -1 when unknown (a history recorded before the field existed)
		 */
		@Override
		public long took() {
			return this.took;
		}

		/**
		 * Return the role reported: {@code master}, {@code slave} (or {@code sentinel}).
		 * @return the role, empty when the command failed
		 */
		public Optional<String> role() {
			return (this.reply != null && !this.reply.isEmpty()) ? Optional.of(String.valueOf(this.reply.get(0)))
					: Optional.empty();
		}

		/**
		 * Return the master a replica follows ({@code host:port}).
		 * @return the master address, empty when the node is not a replica or the command failed
		 */
		public Optional<String> masterAddress() {
			if (this.reply != null && this.reply.size() >= 3 && "slave".equals(this.reply.get(0))) {
				return Optional.of(this.reply.get(1) + ":" + this.reply.get(2));
			}
			return Optional.empty();
		}

	}

	/**
	 * The recorder's subscription to a sentinel's events was lost or regained.
	 *
	 * @param t the time
	 * @param sentinel the sentinel
	 * @param up whether the subscription is up
	 */
	record Link(long t, String sentinel, boolean up) implements HistoryRecord {
	}

	/**
	 * A fault (or its repair) caused by the scenario, for example {@code kill -9 master 127.0.0.1:6380}.
	 *
	 * @param t the time
	 * @param description what was done
	 */
	record Fault(long t, String description) implements HistoryRecord {
	}

}
