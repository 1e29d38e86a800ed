package dev.haredis.autoconfigure.connection;

/**
 * Thrown at startup when the ha-redis configuration itself is wrong. Names the property, what is wrong and how to
 * fix it; {@link HaRedisConfigurationFailureAnalyzer} turns it into Spring Boot's startup report.
 */
public class HaRedisConfigurationException extends RuntimeException {

	private final String property;

	private final String problem;

	private final String action;

	/**
	 * Create a new instance.
	 * @param property the property (or properties) at fault, for example {@code ha.redis.sentinel.nodes[1]}
	 * @param problem what is wrong, never containing a password
	 * @param action how to fix it
	 */
	public HaRedisConfigurationException(String property, String problem, String action) {
		super(property + ": " + problem);
		this.property = property;
		this.problem = problem;
		this.action = action;
	}

	/**
	 * Return the property at fault.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return what is wrong.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * Return how to fix it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
