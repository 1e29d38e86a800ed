package dev.haredis.drill;

/**
 * The queue benchmark's task: a small payload.
 *
 * @param n a sequence number
 */
public record BenchmarkTask(long n) {

}
