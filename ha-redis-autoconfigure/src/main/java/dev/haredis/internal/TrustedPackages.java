package dev.haredis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;

/**
 * The classes a value read back from Redis may be of: the value types of the JDK that stored values legitimately
 * use (exactly the packages {@link #JDK_PACKAGES}, not their subpackages: no {@code java.lang.reflect}), Spring's
 * cache null marker, and the trusted packages with their subpackages. Arrays of these, and of primitives, too.
 * {@code "*"} trusts every class.
 *
 * @param packages the trusted packages, for example {@code com.example.shop}
 */
public record TrustedPackages(List<String> packages) {

	/**
	 * The JDK's packages whose classes are always trusted (the packages themselves, not their subpackages).
	 */
	public static final List<String> JDK_PACKAGES = List.of("java.lang", "java.math", "java.time", "java.util",
			"java.util.concurrent", "java.util.concurrent.atomic");

	/**
	 * Classes trusted besides the packages: Spring's marker for a cached {@code null}.
	 */
	public static final List<String> TRUSTED_CLASSES = List.of("org.springframework.cache.support.NullValue");

	/**
	 * Trusts every class (with a start-up warning).
	 */
	public static final String ALL = "*";

	private static final Log logger = LogFactory.getLog(TrustedPackages.class);

	private static final Pattern PRIMITIVE_ARRAY = Pattern.compile("\\[+[ZBCSIJFD]");

	public TrustedPackages {
		packages = packages.stream().map(String::strip).map(TrustedPackages::withoutTrailingDot).toList();
	}

	/**
	 * Return the trusted packages a property configures, defaulting to the application's packages, and warn (once,
	 * here) about those broader than one application package, or when there are none.
	 * @param property the property, for the warning, for example {@code ha.redis.cache.trusted-packages}
	 * @param configured the packages the property lists, empty when unset
	 * @param beanFactory where the application's packages (those of its {@code @SpringBootApplication} class) are
	 * registered
	 * @return the trusted packages
	 */
	public static TrustedPackages of(String property, List<String> configured, BeanFactory beanFactory) {
		List<String> applicationPackages = AutoConfigurationPackages.has(beanFactory)
				? AutoConfigurationPackages.get(beanFactory) : List.of();
		TrustedPackages trusted = new TrustedPackages(configured.isEmpty() ? applicationPackages : configured);
		List<String> broad = trusted.broaderThan(applicationPackages);
		if (trusted.packages().isEmpty()) {
			logger.warn(property + " is not set and the application's package is not known (no "
					+ "@SpringBootApplication or @AutoConfigurationPackage): only the JDK's value types are read back. "
					+ "Set it to the packages of the values the application stores");
		}
		else if (!broad.isEmpty()) {
			logger.warn(property + " trusts " + String.join(", ", broad) + ", broader than the application's own "
					+ "package" + ((applicationPackages.isEmpty()) ? "" : " (" + String.join(", ", applicationPackages)
							+ ")")
					+ ": anyone who can write to Redis could make every instance instantiate any class there that "
					+ "can be read back. List only the packages of the values the application stores");
		}
		return trusted;
	}

	/**
	 * Whether a class may be read back.
	 * @param className the class name, as {@link Class#getName()} gives it (arrays as {@code [Lcom.example.X;})
	 * @return whether it is trusted
	 */
	public boolean allows(String className) {
		if (this.packages.contains(ALL) || PRIMITIVE_ARRAY.matcher(className).matches()) {
			return true;
		}
		String name = elementName(className);
		if (TRUSTED_CLASSES.contains(name)) {
			return true;
		}
		int lastDot = name.lastIndexOf('.');
		String packageName = (lastDot > 0) ? name.substring(0, lastDot) : "";
		return JDK_PACKAGES.contains(packageName) || this.packages.stream()
			.anyMatch((trusted) -> packageName.equals(trusted) || packageName.startsWith(trusted + "."));
	}

	/**
	 * The trusted class names as a pattern (arrays included), for validators that match names before they load a
	 * class.
	 * @return the pattern
	 */
	public Pattern pattern() {
		if (this.packages.contains(ALL)) {
			return Pattern.compile(".*");
		}
		List<String> names = new ArrayList<>();
		JDK_PACKAGES.forEach((jdk) -> names.add(Pattern.quote(jdk + ".") + "[^.]+"));
		TRUSTED_CLASSES.forEach((trusted) -> names.add(Pattern.quote(trusted)));
		this.packages.forEach((trusted) -> names.add(Pattern.quote(trusted + ".") + ".+"));
		String classes = names.stream().collect(Collectors.joining("|", "(?:", ")"));
		return Pattern.compile(PRIMITIVE_ARRAY.pattern() + "|" + classes + "|\\[+L" + classes + ";");
	}

	/**
	 * The trusted packages broader than one application package: {@code *}, a package of the JDK or another
	 * vendor's, or a top-level or second-level package (such as {@code com} or {@code com.example}) that is not
	 * one of the application's own packages.
	 * @param applicationPackages the application's packages (those of its {@code @SpringBootApplication} class)
	 * @return the broad packages, in order
	 */
	public List<String> broaderThan(List<String> applicationPackages) {
		return this.packages.stream().filter((trusted) -> isBroad(trusted, applicationPackages)).toList();
	}

	private static boolean isBroad(String trusted, List<String> applicationPackages) {
		if (trusted.equals(ALL) || trusted.isEmpty() || isVendors(trusted)) {
			return true;
		}
		boolean applications = applicationPackages.stream()
			.anyMatch((application) -> trusted.equals(application) || trusted.startsWith(application + "."));
		return !applications && trusted.split("\\.").length <= 2;
	}

	private static boolean isVendors(String trusted) {
		return List.of("java", "javax", "jakarta", "jdk", "sun", "com.sun", "org.springframework", "org.apache")
			.stream()
			.anyMatch((vendor) -> trusted.equals(vendor) || trusted.startsWith(vendor + "."));
	}

	private static String elementName(String className) {
		if (className.startsWith("[") && className.endsWith(";")) {
			return className.substring(className.indexOf('L') + 1, className.length() - 1);
		}
		return className;
	}

	private static String withoutTrailingDot(String name) {
		return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
	}

}
