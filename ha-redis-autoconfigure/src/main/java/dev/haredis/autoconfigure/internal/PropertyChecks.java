package dev.haredis.autoconfigure.internal;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;
import org.springframework.validation.Errors;

/**
 * Checks of property values, for the {@code validate} method of a properties class that is its own
 * {@link org.springframework.validation.Validator}. Spring Boot then refuses to start with its failure report,
 * which names the property, its value and where it was set; the reasons given here say what to set instead.
 * <p>
 * Fields are named as in the properties files ({@code refresh-interval}, nested {@code back-off.max}), so that the
 * report names the property as the user wrote it. Secrets are never passed here as rejected values.
 */
public final class PropertyChecks {

	/**
	 * What a client name must look like, for the reason of a refused one.
	 */
	public static final String CLIENT_NAME_RULE = "use printable ASCII characters without spaces, for example "
			+ "'orders-service'";

	private static final Pattern PACKAGE_NAME = Pattern
		.compile("\\*|[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*\\.?");

	private final Errors errors;

	/**
	 * Create checks that report to the given errors.
	 * @param errors where to report
	 */
	public PropertyChecks(Errors errors) {
		this.errors = errors;
	}

	/**
	 * Check that a duration, when set, is longer than zero.
	 * @param field the field, in properties form
	 * @param value the value, or {@code null} when unset
	 * @param example a sensible value, for the reason
	 */
	public void positive(String field, @Nullable Duration value, String example) {
		if (value != null && (value.isNegative() || value.isZero())) {
			reject(field, "must be longer than 0, for example " + example);
		}
	}

	/**
	 * Check that a duration, when set, is not negative.
	 * @param field the field, in properties form
	 * @param value the value, or {@code null} when unset
	 * @param zeroMeans what 0 means, for the reason
	 */
	public void notNegative(String field, @Nullable Duration value, String zeroMeans) {
		if (value != null && value.isNegative()) {
			reject(field, "must not be negative (0 " + zeroMeans + ")");
		}
	}

	/**
	 * Check that a duration, when set, is at least a minimum.
	 * @param field the field, in properties form
	 * @param value the value, or {@code null} when unset
	 * @param minimum the smallest allowed value
	 * @param why why smaller values do not work
	 */
	public void atLeast(String field, @Nullable Duration value, Duration minimum, String why) {
		if (value != null && value.compareTo(minimum) < 0) {
			reject(field, "must be at least " + format(minimum) + ": " + why);
		}
	}

	/**
	 * Check that a number is at least a minimum.
	 * @param field the field, in properties form
	 * @param value the value
	 * @param minimum the smallest allowed value
	 * @param meaning what the number counts, for the reason
	 */
	public void atLeast(String field, long value, long minimum, String meaning) {
		if (value < minimum) {
			reject(field, "must be " + minimum + " or more (" + meaning + ")");
		}
	}

	/**
	 * Check that a database index, when set, is not negative.
	 * @param field the field, in properties form
	 * @param value the value, or {@code null} when unset
	 */
	public void database(String field, @Nullable Integer value) {
		if (value != null && value < 0) {
			reject(field, "is not a database index: use 0 to 15, or up to the servers' 'databases' setting minus one");
		}
	}

	/**
	 * Check that a name, when set, is one Redis accepts in {@code CLIENT SETNAME}: printable, without spaces.
	 * @param field the field, in properties form
	 * @param value the value, or {@code null} when unset
	 */
	public void clientName(String field, @Nullable String value) {
		if (value != null && !isClientName(value)) {
			reject(field, "is not a name Redis accepts in CLIENT SETNAME: " + CLIENT_NAME_RULE);
		}
	}

	/**
	 * Return whether Redis accepts a name in {@code CLIENT SETNAME}: not empty, printable ASCII, no spaces.
	 * @param value the name
	 * @return whether it is accepted
	 */
	public static boolean isClientName(String value) {
		return !value.isEmpty() && value.chars().allMatch((c) -> c > ' ' && c <= '~');
	}

	/**
	 * Check that a name, when set, is not blank and has no whitespace, as Redis keys and group names used in
	 * configuration should.
	 * @param field the field, in properties form
	 * @param value the value
	 * @param example a sensible value, for the reason
	 */
	public void name(String field, @Nullable String value, String example) {
		if (value != null && (!StringUtils.hasText(value) || StringUtils.containsWhitespace(value))) {
			reject(field, "must be a name without spaces, for example '" + example + "'");
		}
	}

	/**
	 * Check that each entry of a list is a Java package name (a trailing dot is allowed), or {@code *}.
	 * @param field the list's field, in properties form
	 * @param packages the entries
	 */
	public void packageNames(String field, List<String> packages) {
		for (int i = 0; i < packages.size(); i++) {
			if (!PACKAGE_NAME.matcher(packages.get(i)).matches()) {
				// Named in the reason: Spring Boot's report cannot show one entry of a list given as one value.
				reject(field + "[" + i + "]", "'" + packages.get(i) + "' is not a package name: list packages such as "
						+ "'com.example.orders'");
			}
		}
	}

	/**
	 * Check that a username comes with a password: Redis has no login by username alone, and Lettuce would quietly
	 * log in as the default user.
	 * @param usernameField the username field, in properties form
	 * @param username the username, or {@code null}
	 * @param password the password, or {@code null} (only its presence is checked, it is never reported)
	 * @param passwordProperty the full name of the matching password property, for the reason
	 */
	public void credentials(String usernameField, @Nullable String username, @Nullable String password,
			String passwordProperty) {
		if (StringUtils.hasText(username) && !StringUtils.hasText(password)) {
			reject(usernameField, "is set without a password, so it would not be used (the connection would log "
					+ "in as 'default'): set " + passwordProperty + " too, or remove the username");
		}
	}

	/**
	 * Report a value as wrong.
	 * @param field the field, in properties form
	 * @param reason what is wrong and what to set instead
	 */
	public void reject(String field, String reason) {
		this.errors.rejectValue(field, "ha.redis.invalid", reason);
	}

	/**
	 * Run checks of a nested group of properties.
	 * @param path the group's name, in properties form
	 * @param checks the checks
	 */
	public void nested(String path, Runnable checks) {
		this.errors.pushNestedPath(path);
		try {
			checks.run();
		}
		finally {
			this.errors.popNestedPath();
		}
	}

	private static String format(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

}
