package dev.haredis.queue;

/**
 * Compares stream entry ids ({@code <millis>-<sequence>}).
 */
final class RecordIds {

	private RecordIds() {
	}

	static int compare(String first, String second) {
		long[] a = parse(first);
		long[] b = parse(second);
		int byTime = Long.compare(a[0], b[0]);
		return (byTime != 0) ? byTime : Long.compare(a[1], b[1]);
	}

	/**
	 * Return when an entry was added: the time part of its id.
	 */
	static long millis(String id) {
		return parse(id)[0];
	}

	private static long[] parse(String id) {
		int dash = id.indexOf('-');
		return (dash < 0) ? new long[] { Long.parseLong(id), 0 }
				: new long[] { Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)) };
	}

}
