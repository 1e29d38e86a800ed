package dev.haredis.autoconfigure.internal;

import java.util.regex.Pattern;

/**
 * Masks the user info (username and password) of a Redis or Sentinel URL, so that it can appear in a message, a log
 * line or an actuator endpoint. The user info is found by the URL's structure, from {@code ://} to the last
 * {@code @} of each part (parts of the Celery/kombu form {@code sentinel://...;sentinel://...} separately), so a
 * password is masked whole whatever characters it holds ({@code / @ : ; # ? %}).
 */
public final class UrlMasking {

	/** Where the Celery/kombu form starts its next part: a ';' before another 'sentinel://'. */
	public static final Pattern KOMBU_SEPARATOR = Pattern.compile(";(?=\\s*sentinel://)");

	private static final String MASKED_USER_INFO = "****";

	private UrlMasking() {
	}

	/**
	 * Return the URL with the user info of each part replaced by {@code ****}.
	 * @param url the URL
	 * @return the masked URL
	 */
	public static String mask(String url) {
		if (url.strip().startsWith("sentinel://")) {
			return String.join(";", KOMBU_SEPARATOR.splitAsStream(url).map(UrlMasking::maskPart).toList());
		}
		return maskPart(url);
	}

	private static String maskPart(String part) {
		int scheme = part.indexOf("://");
		int start = (scheme >= 0) ? scheme + 3 : 0;
		int at = part.lastIndexOf('@');
		return (at >= start) ? part.substring(0, start) + MASKED_USER_INFO + part.substring(at) : part;
	}

}
