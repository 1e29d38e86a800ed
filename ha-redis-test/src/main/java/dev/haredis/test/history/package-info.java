/**
 * Recorded sentinel histories: {@link dev.haredis.test.history.SentinelHistoryRecorder} captures what a live
 * Sentinel topology says over time (events, sentinel answers, {@code ROLE} answers, with their timing) into a
 * JSON-lines file, and {@link dev.haredis.test.history.SentinelHistory} reads such a file back for replay tests.
 */
@NullMarked
package dev.haredis.test.history;

import org.jspecify.annotations.NullMarked;
