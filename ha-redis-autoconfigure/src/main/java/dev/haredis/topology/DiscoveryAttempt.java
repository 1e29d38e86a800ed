package dev.haredis.topology;

import org.jspecify.annotations.Nullable;

/**
 * What happened when one sentinel was asked for the master: why it could not be used.
 *
 * @param sentinel the sentinel asked
 * @param master the master address it named, if it named one
 * @param problem what went wrong
 * @param detail the error the server or the network gave, never containing credentials
 */
public record DiscoveryAttempt(NodeAddress sentinel, @Nullable NodeAddress master, Problem problem, String detail) {

	/**
	 * Why a sentinel's answer could not be used.
	 */
	public enum Problem {

		/** The sentinel refused the connection (nothing listens on that port). */
		SENTINEL_REFUSED,

		/** The sentinel did not answer in time. */
		SENTINEL_TIMEOUT,

		/** The TLS handshake failed, or one side spoke TLS and the other did not. */
		TLS,

		/** The server's TLS certificate is trusted but does not name the host connected to. */
		TLS_HOST_MISMATCH,

		/** The sentinel rejected the sentinel credentials. */
		SENTINEL_AUTHENTICATION,

		/** The sentinel does not monitor a master of the configured name. */
		MASTER_UNKNOWN,

		/** The master the sentinel named could not be reached. */
		MASTER_UNREACHABLE,

		/** The master rejected the data-node credentials. */
		DATA_AUTHENTICATION,

		/** The server the sentinel named does not report the master role (stale sentinel or failover). */
		NOT_A_MASTER,

		/** The master rejected the configured database index. */
		DATABASE_OUT_OF_RANGE,

		/** Any other error. */
		OTHER;

		/**
		 * Return whether this problem lies with the configuration rather than with the servers' current state,
		 * so asking further sentinels cannot help.
		 * @return whether it is a configuration problem
		 */
		public boolean isConfigurationProblem() {
			return this == DATA_AUTHENTICATION || this == DATABASE_OUT_OF_RANGE;
		}

	}

	/**
	 * Return whether the problem lies with a sentinel rather than with the master it named.
	 * @return whether the sentinel was at fault
	 */
	public boolean sentinelSide() {
		return this.master == null;
	}

	@Override
	public String toString() {
		return this.sentinel + ": " + this.detail;
	}

}
