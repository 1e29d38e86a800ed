package dev.haredis.autoconfigure.session;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.haredis.autoconfigure.purpose.ConnectionPurposeProperties;
import dev.haredis.autoconfigure.internal.PropertyChecks;

/**
 * Configuration properties of the sessions' connection factory, which Spring Session Data Redis uses. The key
 * prefix goes in front of Spring Session's namespace ('spring.session.data.redis.namespace').
 */
@ConfigurationProperties("ha.redis.session")
public class HaRedisSessionProperties extends ConnectionPurposeProperties {

	/**
	 * How session attributes are written: 'jdk' (Java serialization, Spring Session's default: any Serializable
	 * class is read back, so whoever can write to the session database can run code in the application) or 'json'
	 * (Jackson 3, with the class name of each attribute, read back only for the trusted packages and the JDK's value
	 * types). Ignored when the application defines a 'springSessionDefaultRedisSerializer' bean.
	 */
	private ValueFormat valueFormat = ValueFormat.JDK;

	/**
	 * Packages whose classes (and those of their subpackages) may be read back from JSON sessions, besides the
	 * JDK's value types. Defaults to the application's packages (those of the '@SpringBootApplication' class).
	 */
	private List<String> trustedPackages = new ArrayList<>();

	@Override
	public String purposeName() {
		return "session";
	}

	public ValueFormat getValueFormat() {
		return this.valueFormat;
	}

	public void setValueFormat(ValueFormat valueFormat) {
		this.valueFormat = valueFormat;
	}

	public List<String> getTrustedPackages() {
		return this.trustedPackages;
	}

	public void setTrustedPackages(List<String> trustedPackages) {
		this.trustedPackages = trustedPackages;
	}

	/**
	 * How session attributes are written.
	 */
	public enum ValueFormat {

		/**
		 * Java serialization, Spring Session's default.
		 */
		JDK,

		/**
		 * JSON with the class name of each attribute, restricted to the trusted packages.
		 */
		JSON

	}

	@Override
	protected void validate(PropertyChecks checks) {
		checks.packageNames("trusted-packages", this.trustedPackages);
	}

}
