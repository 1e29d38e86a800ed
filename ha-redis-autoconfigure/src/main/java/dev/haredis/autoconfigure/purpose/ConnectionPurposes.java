package dev.haredis.autoconfigure.purpose;

import java.util.List;

/**
 * The purposes ha-redis built a connection factory of its own for, in the order their auto-configurations came:
 * those switched off ({@code ha.redis.<purpose>.enabled=false}) or whose factory the application supplies itself
 * are not among them.
 */
final class ConnectionPurposes {

	private final List<ConnectionPurpose> purposes;

	ConnectionPurposes(List<ConnectionPurpose> purposes) {
		this.purposes = List.copyOf(purposes);
	}

	/**
	 * Return every purpose.
	 * @return the purposes
	 */
	List<ConnectionPurpose> all() {
		return this.purposes;
	}

}
