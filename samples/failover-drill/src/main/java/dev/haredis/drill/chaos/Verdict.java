package dev.haredis.drill.chaos;

import org.jspecify.annotations.Nullable;

/**
 * One line of the checker's report: what was counted, and the most it may be.
 *
 * @param check what was checked
 * @param count how many times it happened
 * @param limit the most it may happen, or {@code null} when it is only counted
 * @param detail the first cases, to start looking from
 */
public record Verdict(String check, long count, @Nullable Long limit, String detail) {

	/**
	 * Whether the run keeps this promise.
	 * @return whether the count is within the limit
	 */
	public boolean passed() {
		return this.limit == null || this.count <= this.limit;
	}

	@Override
	public String toString() {
		return (passed() ? "pass " : "FAIL ") + this.check + ": " + this.count
				+ ((this.limit != null) ? " (at most " + this.limit + ")" : "")
				+ (this.detail.isEmpty() ? "" : ": " + this.detail);
	}

}
